import { useMutation } from '@tanstack/react-query';
import { requestData, type RequestBody } from '../../../shared/api/client.ts';

export type ReportRequest = RequestBody<'/api/live/report', 'post'>;
export type ReportReason = ReportRequest['reason'];
export const REPORT_REASONS: readonly ReportReason[] = ['spam', 'harassment', 'sexual_content', 'violence', 'hate', 'illegal', 'other'];

/** Reports a room or a message to the site's operators (once per target and day). */
export function useReport() {
  return useMutation({ mutationFn: (body: ReportRequest) => requestData('post', '/api/live/report', { body }) });
}
