import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The session cookie's security scheme, required by every operation that is not marked ApiPublic(). */
export const SESSION_SCHEME = 'hz_session';

const TAG_DESCRIPTIONS: Record<string, string> = {
  health: '存活与就绪检查',
  audit: '审计日志、哈希链与外部锚点',
  auth: '登录与会话',
  users: '用户与角色',
  'reference data': '区县、行业等基础数据',
  enterprises: '企业名录与减排方案',
  'reduction list': '减排清单与排放清单',
  rulesets: '预警分级规则集',
  consultations: '会商与预警提示',
  directives: '省级指令',
  alerts: '预警、审批、指令送达与评估',
  dashboard: '值班看板',
  outbox: '邮件发件箱',
};

/** The OpenAPI document served at /api/docs-json; also written by scripts/openapi-lint.mjs for the linters. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('haze-coordinator API')
      .setDescription('吕梁市重污染天气应急协调系统:会商、预警、减排指令、送达与审计')
      .setVersion('0.1.0')
      .setLicense('UNLICENSED(内部使用)', 'https://spdx.org/licenses/')
      .addServer('/', '本服务')
      .addCookieAuth(
        SESSION_SCHEME,
        { type: 'apiKey', description: '登录(POST /api/auth/login)后下发的会话 Cookie' },
        SESSION_SCHEME,
      )
      // Metering platforms push readings with a source key (POST /api/telemetry/sources), not a session.
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: '监测数据源密钥(创建数据源时显示一次)' })
      .addSecurityRequirements(SESSION_SCHEME)
      .build(),
  );
  // Every tag an operation uses is declared once, in order of first use (linters want them defined).
  const used = Object.values(document.paths).flatMap((item) =>
    Object.values(item as Record<string, { tags?: string[] }>).flatMap((op) => op.tags ?? []),
  );
  document.tags = [...new Set(used)].map((name) =>
    TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name },
  );
  return document;
}
