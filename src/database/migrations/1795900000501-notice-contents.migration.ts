import { MigrationInterface, QueryRunner } from 'typeorm';

/** The consequence of not complying, stated in every notice (大气法); set on every recorded ruleset. */
export const DEFAULT_CONSEQUENCE =
  '依据《中华人民共和国大气污染防治法》第九十六条,本通知所列措施为重污染天气应急措施,企业必须按时落实。未按要求落实或拒不执行的,由生态环境等主管部门依法依规查处,记入企业环境信用记录,并作为重点行业绩效分级降级的依据。';

/**
 * What a complete notice needs that was not recorded: the county bureau's phone (its contact in the notice) and
 * each ruleset's consequence text. Rulesets already recorded get the default text; their other fields stay.
 */
export class NoticeContents1795900000501 implements MigrationInterface {
  name = 'NoticeContents1795900000501';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "county" ADD COLUMN IF NOT EXISTS "bureau_phone" text`);
    await queryRunner.query(
      `UPDATE "ruleset" SET "definition" = "definition" || jsonb_build_object('consequence', $1::text)
        WHERE NOT ("definition" ? 'consequence')`,
      [DEFAULT_CONSEQUENCE],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "ruleset" SET "definition" = "definition" - 'consequence'`);
    await queryRunner.query(`ALTER TABLE "county" DROP COLUMN IF EXISTS "bureau_phone"`);
  }
}
