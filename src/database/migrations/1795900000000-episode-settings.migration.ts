import { MigrationInterface, QueryRunner } from 'typeorm';

interface Term {
  comparison: 'gt' | 'gte';
  aqi: number;
}

/**
 * Rulesets recorded before episodes and pollutants were ruleset data get them: a polluted day is the lowest
 * start term of their level rules; gaps under 36 h merge episodes; the 2024 family (lowest term AQI>150) counts
 * neither ozone nor dust toward a colour warning and gives ozone its own response, the older standards count
 * every pollutant but dust; the level is judged on 7 detailed days (days 8-10 are the trend). Seeded rows get the same values from
 * seeds/rulesets.json on a fresh database.
 */
export class EpisodeSettings1795900000000 implements MigrationInterface {
  name = 'EpisodeSettings1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT id, definition FROM ruleset WHERE NOT definition ? 'episodes'`,
    )) as Array<{ id: string; definition: Record<string, unknown> }>;
    for (const { id, definition } of rows) {
      const rules = (definition.levelRules ?? []) as Array<{ anyOf: Array<{ allOf: Term[] }> }>;
      const terms = rules.flatMap((r) => r.anyOf.flatMap((c) => c.allOf));
      const low = terms.reduce<Term>((l, t) => (t.aqi < l.aqi ? t : l), { comparison: 'gt', aqi: 200 });
      const family2024 = low.aqi <= 150;
      const patch = {
        detailedDays: 7,
        episodes: { pollutedDay: { comparison: low.comparison, aqi: low.aqi }, mergeGapHours: 36 },
        responses: {
          warningPollutants: ['PM2.5', 'PM10', 'NO2', 'SO2', 'CO', ...(family2024 ? [] : ['O3'])],
          ozonePollutants: family2024 ? ['O3'] : [],
        },
      };
      await queryRunner.query(`UPDATE ruleset SET definition = definition || $2::jsonb WHERE id = $1`, [
        id,
        JSON.stringify(patch),
      ]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE ruleset SET definition = definition - 'detailedDays' - 'episodes' - 'responses'`,
    );
  }
}
