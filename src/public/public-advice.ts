import type { WarningLevel } from '../rulesets/ruleset.types';

/**
 * 健康防护提示 for the public at each level, in the wording Chinese city plans commonly use (the city's plan may
 * word them otherwise; these are what the public feed and page say, never an enterprise's measures).
 */
export const PUBLIC_ADVICE: Record<WarningLevel, string> = {
  BLUE: '儿童、老年人和心脏病、呼吸系统疾病患者等易感人群减少户外活动；倡导公众绿色出行。',
  YELLOW:
    '儿童、老年人和心脏病、呼吸系统疾病患者等易感人群留在室内，避免户外活动；一般人群减少户外运动；倡导公众绿色出行，减少机动车使用。',
  ORANGE:
    '儿童、老年人和心脏病、呼吸系统疾病患者等易感人群留在室内，避免户外活动；一般人群减少户外活动；中小学、幼儿园减少户外活动；倡导公众乘坐公共交通出行。',
  RED: '儿童、老年人和心脏病、呼吸系统疾病患者等易感人群留在室内，避免户外活动；一般人群避免户外活动；中小学、幼儿园停止户外活动，可视情况停课；倡导公众乘坐公共交通出行，减少机动车使用。',
};

/** What a lift or a cancellation tells the public. */
export const ALL_CLEAR_ADVICE = '预警已解除，公众可恢复正常户外活动，请继续关注空气质量预报。';
