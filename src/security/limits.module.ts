import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LimitStore, MemoryLimitStore, PostgresLimitStore } from './limit-store';
import { RequestLimits } from './rate-limits';
import { LimitsStore, SecurityOptions } from './security-options';

/** Injection token of the LimitStore (an interface has no runtime type to inject by). */
export const LIMIT_STORE = 'LIMIT_STORE';

/** Closes the store (its timers and the export slots' connection) when the application stops. */
@Injectable()
class LimitStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(LIMIT_STORE) private readonly store: LimitStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The rate-limit counters and export slots of the service, in the store LIMITS_STORE names. */
@Global()
@Module({})
export class LimitsModule {
  static register(security: SecurityOptions, databaseUrl: string | null): DynamicModule {
    return {
      module: LimitsModule,
      providers: [
        {
          provide: LIMIT_STORE,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource): LimitStore =>
            security.limitsStore === LimitsStore.MEMORY || databaseUrl === null ? new MemoryLimitStore() : new PostgresLimitStore(dataSource),
        },
        { provide: RequestLimits, inject: [LIMIT_STORE], useFactory: (store: LimitStore) => new RequestLimits(store, security) },
        LimitStoreCloser,
      ],
      exports: [LIMIT_STORE, RequestLimits],
    };
  }
}
