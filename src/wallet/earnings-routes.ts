/** The anchor's earnings for the console: entries page by page, a period's totals, CSV export. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { okData, responses } from '../http/schemas.js';
import type { AnchorEarnings } from './earnings.js';
import { EarningsLinesPage, EarningsPeriodQuery, EarningsReport, TransactionsQuery } from './schemas.js';

export const earningsRoutes: FastifyPluginAsyncTypebox<{ earnings: AnchorEarnings }> = async (app, { earnings }) => {
  app.get(
    '/api/anchor/earnings/entries',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: "The anchor's earnings, newest first, with room names; pass next_cursor as cursor for the next page",
        querystring: TransactionsQuery,
        response: responses(okData(EarningsLinesPage), 401, 403),
      },
    },
    async (request) => ({ code: 0 as const, data: await earnings.entries(request.user, request.query.cursor || undefined, request.query.limit) }),
  );

  app.get(
    '/api/anchor/earnings/report',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Earnings of a period of UTC days (at most 366): total, per day, per room',
        querystring: EarningsPeriodQuery,
        response: responses(okData(EarningsReport), 401, 403),
      },
    },
    async (request) => ({ code: 0 as const, data: await earnings.report(request.user, request.query.from, request.query.to) }),
  );

  app.get(
    '/api/anchor/earnings/export',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: "A period's earnings as a CSV file (text/csv), one row per earning",
        querystring: EarningsPeriodQuery,
        response: responses(Type.String({ description: 'text/csv' }), 401, 403),
      },
    },
    async (request, reply) => {
      const csv = await earnings.csv(request.user, request.query.from, request.query.to);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="earnings-${request.query.from}-${request.query.to}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
};
