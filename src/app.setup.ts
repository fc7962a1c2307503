import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import path from 'node:path';
import { ApiExceptionFilter } from './common/filters/api-exception.filter';
import { createApiDocument } from './common/http/api-document';
import { contentSecurityDirectives } from './common/http/security-headers.rules';
import { createValidationPipe } from './common/http/validation.pipe';
import { projectRoot } from './common/paths';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { handlebarsViewEngine } from './console/handlebars-view.engine';
import { AppLogger } from './logging/app-logger';

/** Everything main.ts and the test harness both apply to the Nest app, so tests run what production runs. */
export function configureApp(app: NestExpressApplication): void {
  // Nest's logger is pino's from here on (JSON lines, the request id); lines buffered until now are written.
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  app.disable('x-powered-by');
  // Every response is computed fresh; hashing each body for an ETag only cost time under load.
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: { directives: contentSecurityDirectives(app.get<AppConfig>(APP_CONFIG).appUrl) },
      // Helmet's default (no-referrer) makes browsers send `Origin: null` on our own form posts, which the
      // origin check must refuse; same-origin keeps the real Origin there and still sends nothing elsewhere.
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  // gzip for pages, JSON and CSV when the client asks (Accept-Encoding); streamed exports still stream, zlib
  // passes each chunk on as it fills. ZIP and PDF are not compressible types, so they go as they are.
  app.use(compression());
  app.use(cookieParser());
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '2mb' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());

  const viewsDir = path.join(projectRoot(), 'templates', 'console');
  app.engine('hbs', handlebarsViewEngine(viewsDir));
  app.setBaseViewsDir(viewsDir);
  app.setViewEngine('hbs');
  app.useStaticAssets(path.join(projectRoot(), 'templates', 'console', 'assets'), { prefix: '/assets/' });

  const document = createApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'haze-coordinator API',
  });
  app.enableShutdownHooks();
}
