import { Controller, Get, Inject, Render } from '@nestjs/common';
import { AlertViewsService, type AlertView } from '../alerts/alert-views.service';
import { TimelinessService } from '../alerts/timeliness.service';
import { type AuthUser, CurrentUser, OpenToCounties, SignedIn } from '../auth/auth.decorators';
import { type CountyScope, countyScopeOf } from '../auth/county-scope';
import { MicroCache } from '../common/cache/micro-cache';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock } from '../common/clock/clock';
import { shanghaiDate } from '../common/time';
import { ConsultationsService } from '../consultations/consultations.service';
import { DirectivesService } from '../directives/directives.service';
import { RegionsService } from '../regions/regions.service';
import { ConsolePages, ScriptEndpoint } from './console-page.decorator';
import type { RenderedBody } from './handlebars-view.engine';
import { countyLevels, orderProgress, upcomingEvents } from './console-view.rules';
import { countyMapView } from './county-map.view';
import { CountyProgressService } from '../orders/county-progress.service';

const IN_FORCE = ['PENDING_APPROVAL', 'ISSUED', 'ACTIVE'];

@ConsolePages()
@Controller('dashboard')
export class DashboardPagesController {
  constructor(
    private readonly alerts: AlertViewsService,
    private readonly consultations: ConsultationsService,
    private readonly regions: RegionsService,
    private readonly timeliness: TimelinessService,
    private readonly clock: Clock,
    private readonly directives: DirectivesService,
    private readonly countyProgress: CountyProgressService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.models = new MicroCache(config.dashboardCacheMs, 100, undefined, 4 * config.dashboardCacheMs);
  }

  /**
   * The page's figures per county scope, reused for DASHBOARD_CACHE_MS: every duty screen polls it, and building it
   * asks the database seven times, rendering it is most of what is left. Keyed on the views' change count too, so a
   * change made here shows at once. The body reads no locals of the person asking (the layout does).
   */
  private readonly models: MicroCache<{ model: object; body: RenderedBody }>;

  @Get()
  @SignedIn()
  @OpenToCounties()
  @Render('pages/dashboard')
  async dashboard(@CurrentUser() user: AuthUser): Promise<object> {
    const scope = countyScopeOf(user);
    const key = `${this.alerts.changes}:${'all' in scope ? '*' : [...scope.counties].sort().join(',')}`;
    const cached = await this.models.get(key, async () => ({ model: await this.model(scope), body: {} }));
    // A copy: Express writes the response's locals onto the object it renders.
    return { ...cached.model, renderedBody: cached.body };
  }

  private async model(scope: CountyScope): Promise<object> {
    // A county officer's dashboard: the city's warnings (their figures city-wide), the map with the order progress
    // of their own counties only.
    const now = this.clock.now();
    const cityWide = 'all' in scope;
    // Consultations, provincial directives and the overdue approvals are the city's work, not a county bureau's.
    const [current, counties, latest, directives, overdue] = await Promise.all([
      this.alerts.list(IN_FORCE),
      this.regions.listCounties(),
      cityWide ? this.consultations.latest() : null,
      cityWide ? this.directives.current() : [],
      cityWide ? this.timeliness.overdue() : { approvals: [], releases: [] },
    ]);
    const cells = countyLevels(counties, current);
    const progress = await this.countyProgress.forAlerts(
      current.map((a) => a.id),
      scope,
    );
    return {
      title: '总览',
      cityWide,
      counties: cells,
      countyMap: countyMapView(this.regions.countyMap(), cells, progress),
      alerts: current.map((a) => ({ ...a, progress: orderProgress(a.orderCounts) })),
      events: upcomingEvents(current, now),
      overdue,
      hasOverdue: overdue.approvals.length + overdue.releases.length > 0,
      consultation: latest,
      consultedToday: latest !== null && shanghaiDate(latest.heldAt) === shanghaiDate(now),
      today: shanghaiDate(now),
      // In force or still to start, 需启动 in red until an approved warning answers each county.
      directives,
    };
  }

  /** Polled by the dashboard's script while dispatch runs: the same progress figures as the page. */
  @Get('progress')
  @SignedIn()
  @OpenToCounties()
  @ScriptEndpoint()
  async progress(): Promise<Array<{ id: string; progress: ReturnType<typeof orderProgress> }>> {
    const inForce: AlertView[] = await this.alerts.list(IN_FORCE);
    return inForce.map((a) => ({ id: a.id, progress: orderProgress(a.orderCounts) }));
  }
}
