/* Word lists and reference tables for the synthetic data. Invented text only: no real person, and
 * no real event. Countries and subdivisions come from the region table (ISO 3166). */

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

/** Ordinary English words, so that excerpts and descriptions give full-text search real variety. */
export const COMMON_WORDS = words(`
  able about above accept account across action active actual address admit adult affect afraid after afternoon
  again against agency agree ahead allow almost alone along already although always among amount ancient anger
  angle animal answer anxious anyone apart appear apply approach area argue around arrive article aside asleep
  attack attempt attend attention autumn avoid awake aware balance bank barrier basic basket battle beach bear
  beat beautiful become before begin behind believe belong below bench beside better between beyond bicycle
  bitter blanket blind block blood board boat body bone border borrow bottle bottom bought branch brave bread
  break breath bridge brief bright bring broad broken brother brown budget build burden burn busy cabin cable
  calm camera campaign canal candle capital captain careful carry castle cattle cause ceiling cellar centre
  century certain chain chair chalk chance change channel chapter charge cheap check chest chief child choice
  church circle citizen claim clean clear clerk clever cliff climate clock close cloth cloud coast coffee cold
  collect colour column comfort common company compare complain complete concern confirm conflict consider
  constant contain content continue control corner correct cottage cotton cough council count country county
  courage course court cousin cover crack craft crash cream credit crime crowd cruel crystal culture cupboard
  curtain custom cycle daily damage danger daughter dawn dead deal dear debate debt decade decide declare deep
  defend degree delay deliver demand deny depend describe desert design desk detail develop device diary
  different difficult dinner direct dirty discover discuss disease distance district divide doctor document
  double doubt dozen drain drawer dream dress drink drive drop drought dust duty early earth east easy echo
  edge effort eight elbow elder election electric empty enemy energy engine enough enter envelope equal escape
  evening event every evidence exact example exchange exercise exist expect expense explain extra factory fail
  faint fair faith false family famous farm farmer father fault favour fear feather feature fence fever field
  fierce figure final finger finish fire firm fish flag flat flight flood floor flour flower follow force
  forest forget formal fortune forward frame free fresh friend front frost fruit fuel funeral future garden
  gate gather gentle ghost gift glass glove goods government grain grass grave great green grey ground group
  grow guard guess guest guide habit hammer handle happen harbour hard harvest hazard heart heavy height help
  hidden highway hill history hold hole holiday hollow honest hope horse hospital hotel hour house hunger
  hurry husband idea illness image income increase indeed inform injury inside instead iron island issue
  jacket journey judge juice jungle justice kettle kitchen knife knock label labour ladder lake lamp language
  large later laugh launch lawyer layer leader leather leave lecture legal lesson letter level library light
  limit line list little local lock lonely long loose lorry loud lucky lunch machine magazine mail major
  manage market marriage master matter meadow meal measure medicine meeting member memory metal middle
  midnight mild military mineral minute mirror mistake modern moment money month morning mother motor
  mountain mouth movement murder music narrow nation native nature neighbour nephew nervous network never
  night noise normal north note notice number nurse object ocean offer office often open opinion orange order
  ordinary organ orphan other outside owner pace package page pain paint paper parcel parent park partner
  party passage passenger past patient pattern payment peace people pepper period permit person petrol phone
  picture piece pigeon pillow pilot place plain planet plant plate platform pleasure plenty pocket poem point
  poison police polite pool poor popular port position post pottery powder power practice prepare present
  press pretty price pride priest prison private prize problem process produce profit promise proof proper
  protect proud public pull pump punish purple purpose quarter queen question quick quiet rabbit radio rail
  rain raise range rapid rare rather reach ready reason receive record recover region relief remain remember
  remote repair repeat report request rescue reserve resist respect rest result return reward ribbon rice
  rich right ring risk river road rock roof room root rope rough round route royal rubber rule rumour rural
  sacred saddle safety sailor salt sample sand school science screen season second secret section secure seed
  select sentence separate series servant service settle seven shadow shallow shape share sharp shelf shelter
  shift shine shirt shock shoe shop shore short shoulder shout sight signal silence silent silver simple
  single sister skill sleep slope slow small smoke smooth snow soft soldier solid solution sound soup south
  space speech speed spirit spring square staff stage stair stamp standard station steady steam steel stick
  still stomach stone storm story stove straight strange stream street strength strike string strong student
  subject success sudden sugar summer supply support surface surprise swallow sweet swift symbol system table
  tailor target taste teacher temple tender tent term test theatre thick thin thirsty thread threat throat
  ticket tight timber tired title tobacco today together tomorrow tongue tonight tooth total tourist towel
  tower trade traffic train transport travel treasure treaty tribe trouble truck true trust truth tunnel
  twice uncle under union unit upper urban usual valley value vehicle velvet vessel victory view village
  violent visit voice volume voyage wage wagon waist wait walk wall warm warning wash waste watch water wave
  weak wealth weapon weather wedding week weight welcome west wheat wheel whisper white whole wide widow wife
  wild window winter wire wise witness woman wonder wood wool worker world worry wound wrist yard yellow young
`);

export const KIND_NOUNS: Record<string, readonly string[]> = {
  DETENTION: ['Detention', 'Arrest', 'Round-up', 'Arbitrary detention', 'Incommunicado detention', 'Mass arrest'],
  ABDUCTION: ['Abduction', 'Kidnapping', 'Seizure', 'Forcible removal'],
  ENFORCED_DISAPPEARANCE: ['Enforced disappearance', 'Disappearance', 'Unacknowledged detention'],
  TORTURE_OR_ILL_TREATMENT: ['Torture', 'Beating', 'Ill-treatment', 'Abuse in custody', 'Cruel treatment'],
  SEXUAL_VIOLENCE: ['Sexual violence', 'Sexual assault', 'Sexual abuse in custody'],
  KILLING: ['Killing', 'Extrajudicial execution', 'Shooting', 'Death in custody', 'Unlawful killing'],
  THREAT_OR_HARASSMENT: ['Threats', 'Harassment', 'Intimidation', 'Surveillance and threats', 'Raid and intimidation'],
  OTHER: ['Forced eviction', 'Destruction of property', 'Travel ban', 'Confiscation of documents', 'Dismissal from work'],
};

export const VICTIM_GROUPS = words(`
  journalists students activists lawyers protesters farmers teachers workers villagers refugees migrants
  bloggers doctors nurses worshippers opposition-supporters trade-unionists human-rights-defenders artists
  gay-men transgender-women women children elders fishermen miners drivers shopkeepers volunteers monitors
  residents election-observers musicians poets researchers
`).map((w) => w.replace(/-/g, ' '));

export const PERPETRATORS = [
  'police officers', 'plain-clothes police', 'unidentified armed men', 'men in military uniform', 'soldiers',
  'military intelligence officers', 'security service officers', 'border guards', 'prison guards',
  'members of a pro-government militia', 'members of an armed group', 'local officials', 'riot police',
  'masked men', 'private security guards', 'members of a criminal gang', 'a local commander and his men',
  'special forces', 'religious police', 'unknown attackers',
] as const;

export const VERBS_PAST = words(`
  detained arrested beat threatened abducted questioned searched held interrogated released transferred
  photographed followed warned fined charged accused insulted injured shot killed raided confiscated
  blindfolded handcuffed tortured deported expelled summoned filmed
`);

export const PLACES = [
  'near the market', 'at a checkpoint', 'at their homes', 'outside the court', 'in the central square',
  'at a police station', 'on the highway', 'near the border', 'at the university', 'in a village mosque',
  'at a bus station', 'in a detention centre', 'at the airport', 'in the old town', 'outside a church',
  'at a football stadium', 'in the refugee camp', 'at a family wedding', 'on the river crossing', 'at the factory gates',
] as const;

export const TIMES = [
  'late at night', 'in the early morning', 'during a protest', 'after Friday prayers', 'before the election',
  'during a curfew', 'over several days', 'on the way home from work', 'during a house search', 'at dawn',
  'shortly after midnight', 'in broad daylight', 'during a funeral', 'the following week', 'without warning',
] as const;

export const REPORTERS = [
  'Witnesses', 'Relatives', 'A neighbour', 'Local residents', 'A lawyer for the family', 'Human rights monitors',
  'A former detainee', 'Colleagues', 'A spokesperson for the group', 'Medical staff', 'A local journalist',
  'Two independent sources', 'The victim\'s mother', 'An official who asked not to be named',
] as const;

export const SAYING = ['said', 'reported', 'told reporters', 'confirmed', 'alleged', 'stated', 'wrote', 'recalled', 'claimed'] as const;

export const AFTERMATH = [
  'The authorities denied any involvement.', 'No charges have been brought.', 'The family has filed a complaint.',
  'Their whereabouts remain unknown.', 'A court later ordered their release.', 'An investigation was opened but stalled.',
  'Officials declined to comment.', 'The prosecutor\'s office did not respond to requests for comment.',
  'Several of them were released after paying fines.', 'Lawyers were refused access for weeks.',
  'The ministry called the reports fabricated.', 'Photographs of the injuries were shared online.',
] as const;

export const SITUATION_THEMES = [
  'Crackdown on journalists', 'Persecution of LGBT people', 'Enforced disappearances', 'Post-election arrests',
  'Attacks on human rights defenders', 'Detention of peaceful protesters', 'Campaign against religious minorities',
  'Killings of environmental activists', 'Abuses in pre-trial detention', 'Forced evictions',
  'Repression of trade unions', 'Targeting of lawyers', 'Violence against women activists',
  'Counter-terrorism sweeps', 'Persecution of the political opposition', 'Abuses against migrants at the border',
] as const;

export const FIRST_NAMES = words(`
  Amina Ahmed Aleksandr Ana Andrei Anh Aisha Bilal Carlos Chen Daniela Dmitri Elena Emeka Fatima Farid
  Gabriel Hana Hassan Ibrahim Irina Isabel Jamal Javier Joy Kateryna Khalid Kwame Lan Layla Leila Luis Maria
  Mariam Marco Mehmet Mei Mohammed Musa Nadia Natalia Nguyen Nikolai Olga Omar Oksana Pablo Priya Rahim Ravi
  Rosa Ruslan Salma Samuel Sara Sergei Svetlana Tamara Thabo Timur Tran Viktor Yasmin Yusuf Zainab Zarina Zaur
`);

export const LAST_NAMES = words(`
  Abdullayev Adeyemi Aliyev Alvarez Amini Ba Banda Bashir Castillo Chaudhry Cruz Darwish Diallo Dlamini Duarte
  Fernandez Gonzalez Haddad Hakimi Hossain Ibrahimov Ivanov Kamara Karimov Khan Kovalenko Kuznetsova Le Lopez
  Magomedov Mahmoud Mendoza Mensah Molina Morozov Mukherjee Mwangi Nazarov Ndlovu Nguyen Novak Okafor Omarov
  Osei Pardo Pham Popescu Qureshi Rahman Ramirez Rashidov Reyes Rodriguez Saidov Salazar Santos Shevchenko
  Sokolova Suleimanov Tadesse Torres Usmanov Vargas Volkov Wang Yilmaz Yusupov Zhang
`);

export const OCCUPATIONS = words(`
  teacher journalist student lawyer nurse doctor farmer driver shopkeeper engineer blogger imam priest
  mechanic accountant musician photographer cook builder seamstress baker tailor electrician pharmacist
  translator fisherman miner cleaner programmer economist
`);

export const GENDERS = ['male', 'female', 'non-binary', 'transgender woman', 'transgender man'] as const;

export const SYLLABLES = words(`
  ka ro vi na ma li to ra sel gor an bel dar zan kor mir tal ve sha kha lo pe du bri nov grad ab ul es ta
  mi ko ne sa ri da lu ze fa ha gu ba ye or in ak um ost yar
`);

export const PLACE_SUFFIXES = ['', '', '', 'sk', 'pur', 'abad', 'ville', 'grad', 'o', 'an', 'ia', 'i'] as const;

export const PUBLISHER_PATTERNS = [
  'The {place} Herald', '{place} Today', 'Radio Free {place}', '{place} Post', 'The {place} Observer',
  '{place} News Agency', '{place} Daily', 'Voice of {place}', '{place} Times', '{place} Independent',
] as const;

export const NGO_PATTERNS = [
  '{country} Human Rights Centre', 'Committee Against Torture ({country})', 'Justice for {country}',
  'Association of Families of the Disappeared ({country})', '{country} Legal Aid Network', '{surname} Foundation',
  '{country} Helsinki Group', 'Defenders of {country}', 'Coalition for Press Freedom in {country}',
  '{country} Council for Civil Liberties', 'Rainbow Rights {country}', 'Women\'s Rights Watch {country}',
] as const;

export const INTERGOVERNMENTAL = [
  'Office of the UN High Commissioner for Human Rights', 'Council of Europe Commissioner for Human Rights',
  'OSCE Office for Democratic Institutions and Human Rights', 'African Commission on Human and Peoples\' Rights',
  'Inter-American Commission on Human Rights', 'UN Working Group on Enforced or Involuntary Disappearances',
  'UN Special Rapporteur on Torture', 'European Parliament Subcommittee on Human Rights',
] as const;

export const RESPONSE_TARGETS = [
  '{country} authorities', 'the Ministry of Internal Affairs of {country}', 'the UN Human Rights Council',
  'the Prosecutor General of {country}', 'the European Union', 'the embassy of {country}',
  'the President of {country}', 'the International Criminal Court', 'shareholders of a mining company',
] as const;

export const RESPONSE_OUTCOMES = [
  'Delivered to the embassy.', 'No response from the authorities.', 'Two detainees were released.',
  'The case was dismissed.', 'The court ruled in favour of the applicants.', 'Raised at the Human Rights Council.',
  'Funds paid for legal representation and relocation.', 'The authorities promised an investigation.',
  'Ongoing.', 'The petition was closed after the release.',
] as const;

/** Where protests abroad gather, with the country's ISO code. */
export const CITIES_ABROAD: readonly (readonly [city: string, country: string])[] = [
  ['London', 'GB'], ['Berlin', 'DE'], ['Paris', 'FR'], ['Geneva', 'CH'], ['Brussels', 'BE'], ['Vienna', 'AT'],
  ['New York', 'US'], ['Washington', 'US'], ['The Hague', 'NL'], ['Strasbourg', 'FR'], ['Madrid', 'ES'], ['Warsaw', 'PL'],
];

export const CLAIMS = ['date', 'victim count', 'location', 'perpetrator', 'kind of act', 'death toll', 'identity of victims', 'sequence of events'] as const;

export const LANGUAGES: readonly (readonly [string, number])[] = [
  ['en', 50], ['ru', 10], ['ar', 9], ['es', 9], ['fr', 7], ['uk', 3], ['tr', 2], ['fa', 2], ['zh', 2], ['pt', 2], ['my', 1], ['sw', 1],
];

/** Countries where reports cluster, with a relative weight and a rough centre and spread in
 * degrees for synthetic coordinates. Every other country gets a small weight and no coordinates. */
export const HOTSPOTS: readonly (readonly [code: string, weight: number, lat: number, lon: number, spread: number])[] = [
  ['RU', 60, 55, 45, 6], ['UA', 35, 49, 32, 3], ['SY', 40, 35, 38, 1.5], ['IQ', 30, 33, 44, 2], ['AF', 30, 34, 66, 2.5],
  ['MX', 30, 22, -101, 4], ['CO', 28, 4.5, -74, 2.5], ['BR', 20, -12, -50, 7], ['CN', 30, 33, 105, 8], ['IN', 25, 22, 79, 6],
  ['PK', 20, 30, 70, 3], ['NG', 25, 9, 8, 3], ['CD', 25, -3, 23, 4], ['SD', 22, 15, 30, 3], ['SS', 12, 7, 30, 2],
  ['MM', 25, 20, 96, 3], ['PH', 20, 12, 122, 3], ['EG', 20, 27, 30, 2.5], ['IR', 25, 32, 53, 4], ['TR', 20, 39, 35, 3],
  ['SA', 10, 24, 45, 4], ['YE', 18, 15.5, 47.5, 2], ['LY', 12, 27, 17, 4], ['ML', 12, 17, -4, 3], ['BF', 10, 12.3, -1.5, 1.5],
  ['SO', 14, 5, 46, 2.5], ['ET', 18, 9, 40, 3], ['ER', 6, 15.2, 39, 1], ['VE', 16, 7, -66, 3], ['NI', 10, 12.9, -85, 1],
  ['HN', 8, 14.8, -86.6, 1], ['GT', 8, 15.5, -90.2, 1], ['SV', 6, 13.8, -88.9, 0.4], ['BY', 18, 53.7, 28, 1.5],
  ['AZ', 8, 40.3, 47.7, 1], ['KZ', 8, 48, 67, 6], ['UZ', 8, 41.4, 64.5, 3], ['TJ', 6, 38.8, 71, 1.5], ['TM', 5, 39, 59.5, 2.5],
  ['BD', 14, 23.7, 90.3, 1.5], ['LK', 6, 7.9, 80.7, 0.8], ['VN', 10, 16, 107.8, 3], ['KH', 6, 12.5, 105, 1.5],
  ['TH', 8, 15, 101, 2.5], ['ID', 12, -2.5, 118, 8], ['CM', 10, 5.7, 12.7, 2], ['CF', 8, 6.6, 20.9, 2], ['BI', 6, -3.4, 29.9, 0.5],
  ['ZW', 8, -19, 29.8, 2], ['UG', 8, 1.4, 32.3, 1.5], ['KE', 8, 0.2, 37.9, 2.5], ['TZ', 5, -6.4, 34.9, 3], ['IL', 10, 31.4, 35, 0.6],
  ['PS', 14, 31.9, 35.2, 0.3], ['LB', 6, 33.9, 35.9, 0.4], ['HT', 8, 19, -72.5, 0.7], ['CU', 8, 21.5, -79, 2], ['US', 10, 38, -97, 8],
  ['GB', 5, 53, -1.5, 2], ['FR', 5, 46.6, 2.4, 2.5], ['HU', 4, 47.2, 19.4, 1.2], ['PL', 4, 52, 19.4, 2], ['KP', 8, 40.3, 127.4, 1.5],
  ['TD', 6, 15.4, 18.7, 3], ['NE', 6, 17.6, 8.1, 3], ['MZ', 6, -18.7, 35.5, 3], ['GE', 5, 42.3, 43.4, 1], ['AM', 3, 40.1, 45, 0.5],
  ['KG', 4, 41.2, 74.8, 1.5], ['DZ', 6, 28, 1.7, 4], ['MA', 5, 31.8, -7.1, 2], ['TN', 5, 34, 9.5, 1.5], ['PE', 8, -9.2, -75, 3],
  ['BO', 5, -16.3, -63.6, 3], ['EC', 5, -1.8, -78.2, 1.5], ['AR', 4, -34, -64, 5], ['CL', 4, -33, -71, 3], ['BH', 5, 26.05, 50.55, 0.1],
  ['AE', 4, 24.3, 54.4, 1], ['QA', 2, 25.3, 51.2, 0.3], ['PY', 3, -23.4, -58.4, 2],
];

/** Weight of every country not in HOTSPOTS. */
export const OTHER_COUNTRY_WEIGHT = 0.4;
