import { MigrationInterface, QueryRunner } from 'typeorm';

/** The duties at the lowest level (blue in the four-level ruleset, yellow in the others): the same list. */
const LOWEST = [
  {
    department: 'ZHUJIAN',
    duty: '督促建筑工地严格落实扬尘防治"六个百分之百",停止土石方、建筑拆除、渣土运输等易产生扬尘的作业',
  },
  {
    department: 'CHENGGUAN',
    duty: '城市建成区主要道路在日常保洁基础上每日增加1次以上机械化湿式清扫保洁,严查渣土车沿途抛洒、随意倾倒',
  },
  {
    department: 'JIAOJING',
    duty: '严查渣土运输车辆未按规定时间和路线行驶等违法行为,引导中重型货车避开城市建成区绕行',
  },
  {
    department: 'JIAOTONG',
    duty: '督促道路运输企业落实重型货车绕行路线,暂停国四及以下重型营运货车进入城市建成区',
  },
  {
    department: 'SHENGTAI',
    duty: '组织开展工业企业减排措施落实情况督查,会同交警、交通部门开展柴油货车路检路查',
  },
  {
    department: 'QIXIANG',
    duty: '加密空气质量与气象条件会商预报,适时开展人工影响天气作业',
  },
];

/**
 * City departments' duties per level, as of this migration (seed document items 13, 16, 19 and 21 and the usual
 * warning measures), for rulesets recorded before the duties were ruleset data: each gets the levels it has.
 * Frozen here on purpose: later edits belong to new rulesets, not to this migration. Seeded rows get the same
 * values from seeds/rulesets.json on a fresh database.
 */
const DEPARTMENT_DUTIES: Record<string, Array<{ department: string; duty: string }>> = {
  BLUE: LOWEST,
  YELLOW: LOWEST,
  ORANGE: [
    {
      department: 'ZHUJIAN',
      duty: '建筑工地停止土石方、建筑拆除、墙体涂刷等户外作业,渣土车、砂石车停止上路',
    },
    {
      department: 'CHENGGUAN',
      duty: '城市建成区主要道路每日增加2次以上机械化湿式清扫保洁;禁止户外涂装、道路划线、栏杆喷涂、沥青铺装等户外作业',
    },
    {
      department: 'JIAOJING',
      duty: '城市建成区禁止国四及以下中重型货车(保障民生车辆除外)通行,渣土车、砂石车禁止上路,严查超标排放车辆',
    },
    {
      department: 'JIAOTONG',
      duty: '暂停国四及以下重型营运货车进入城市建成区,督促重点用车单位落实门禁管理和运输减排措施',
    },
    {
      department: 'GONGXIN',
      duty: '督促工业企业落实错峰生产和停产、限产措施',
    },
    {
      department: 'SHANGWU',
      duty: '督促加油站、储油库落实油气回收,暂停非必要的油品装卸作业',
    },
    {
      department: 'SHENGTAI',
      duty: '组织开展工业企业减排措施落实情况督查,重点核查分表计电和在线监测数据,会同交警、交通部门开展柴油货车路检路查',
    },
    {
      department: 'QIXIANG',
      duty: '加密空气质量与气象条件会商预报,适时开展人工影响天气作业',
    },
  ],
  RED: [
    {
      department: 'ZHUJIAN',
      duty: '全市建筑工地停止一切户外施工作业(应急抢险除外),渣土车、砂石车停止上路',
    },
    {
      department: 'CHENGGUAN',
      duty: '城市建成区主要道路每日增加3次以上机械化湿式清扫保洁;禁止一切户外涂装、喷涂、沥青铺装等户外作业',
    },
    {
      department: 'JIAOJING',
      duty: '城市建成区禁止国五及以下中重型货车(保障民生车辆除外)通行,渣土车、砂石车禁止上路,严查超标排放车辆',
    },
    {
      department: 'JIAOTONG',
      duty: '暂停国五及以下重型营运货车进入城市建成区,督促重点用车单位停止使用国四及以下重型货车运输',
    },
    {
      department: 'GONGXIN',
      duty: '督促工业企业落实停产、限产措施,核查错峰生产执行情况',
    },
    {
      department: 'SHANGWU',
      duty: '督促加油站、储油库落实油气回收,停止油品装卸作业(保障民生除外)',
    },
    {
      department: 'SHENGTAI',
      duty: '组织开展工业企业减排措施落实情况全覆盖督查,核查分表计电和在线监测数据,会同交警、交通部门开展柴油货车路检路查',
    },
    {
      department: 'QIXIANG',
      duty: '加密空气质量与气象条件会商预报,具备条件时开展人工影响天气作业',
    },
  ],
};

export class DepartmentDuties1795900000601 implements MigrationInterface {
  name = 'DepartmentDuties1795900000601';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT id, levels FROM ruleset WHERE NOT definition ? 'departmentDuties'`,
    )) as Array<{ id: string; levels: string[] }>;
    for (const { id, levels } of rows) {
      const duties = Object.fromEntries(
        levels.filter((l) => l in DEPARTMENT_DUTIES).map((l) => [l, DEPARTMENT_DUTIES[l]]),
      );
      await queryRunner.query(
        `UPDATE ruleset SET definition = definition || jsonb_build_object('departmentDuties', $2::jsonb) WHERE id = $1`,
        [id, JSON.stringify(duties)],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE ruleset SET definition = definition - 'departmentDuties'`);
  }
}
