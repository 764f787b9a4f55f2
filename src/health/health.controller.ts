import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';

/** Longest the database may take to answer `SELECT 1` before it is reported down. */
const PING_TIMEOUT_MS = 3000;

/** GET /health: 200 when the database answers, 503 when it does not. Not rate limited, and
 * answered without a token (load balancers and orchestrators poll it). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database()]);
  }

  /** Up or down, without the driver's message: it names the database host and port, which a
   * public endpoint need not tell (Terminus logs it). */
  private async database(): Promise<HealthIndicatorResult> {
    try {
      const result = await this.db.pingCheck('database', { timeout: PING_TIMEOUT_MS });
      if (result.database?.status === 'up') return result;
    } catch {
      // Reported below.
    }
    return { database: { status: 'down' } };
  }
}
