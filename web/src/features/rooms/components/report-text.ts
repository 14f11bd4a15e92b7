/**
 * The report dialog's words in English and Simplified Chinese. They travel in the dialog's own
 * chunk, fetched on a viewer's first report, so the viewer's entry file does not carry them; the
 * buttons that open the dialog keep their labels in the app's dictionaries.
 */
import type { Language } from '../../../shared/i18n/language.ts';

const en = {
  title: 'Report to the operators',
  reason: 'What is wrong?',
  reason_spam: 'Spam or advertising',
  reason_harassment: 'Harassment or bullying',
  reason_sexual_content: 'Sexual content',
  reason_violence: 'Violence or gore',
  reason_hate: 'Hate speech',
  reason_illegal: 'Illegal content',
  reason_other: 'Something else',
  details: 'Details (optional)',
  submit: 'Send report',
  thanks: 'Thank you: the operators will look at it.',
  close: 'Close',
};

export type ReportKey = keyof typeof en;

const zh: Record<ReportKey, string> = {
  title: '向运营人员举报',
  reason: '有什么问题？',
  reason_spam: '垃圾信息或广告',
  reason_harassment: '骚扰或欺凌',
  reason_sexual_content: '色情内容',
  reason_violence: '暴力或血腥',
  reason_hate: '仇恨言论',
  reason_illegal: '违法内容',
  reason_other: '其他',
  details: '详细说明（可选）',
  submit: '提交举报',
  thanks: '谢谢，运营人员会尽快处理。',
  close: '关闭',
};

export function reportText(language: Language, key: ReportKey): string {
  return (language === 'zh-CN' ? zh : en)[key];
}
