/**
 * A local stand-in for api.nowpayments.io: checks every request exactly as NOWPayments would need it
 * and answers in the documented shapes (payment_id a string when created, a number when read back).
 */
import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_API_KEY = 'fake-nowpayments-key';

export type FakeMode = 'ok' | 'server_error' | 'malformed' | 'hang';

export interface FakePayment {
  payment_id: string;
  payment_status: string;
  pay_address: string;
  price_amount: number;
  price_currency: string;
  pay_amount: number;
  actually_paid: number;
  pay_currency: string;
  order_id: string;
  order_description: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

const CREATE_FIELDS = ['ipn_callback_url', 'order_description', 'order_id', 'pay_currency', 'price_amount', 'price_currency'];

export class FakeNowPayments {
  readonly requests: RecordedRequest[] = [];
  /** Requests that NOWPayments would have refused; a test fails if any appear. */
  readonly problems: string[] = [];
  readonly payments = new Map<string, FakePayment>();
  mode: FakeMode = 'ok';
  url = '';
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The provider's side of a payment changing (what a later GET /v1/payment/:id reports). */
  setStatus(paymentId: string, status: string, actuallyPaid?: number): void {
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`fake has no payment ${paymentId}`);
    payment.payment_status = status;
    if (actuallyPaid !== undefined) payment.actually_paid = actuallyPaid;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });

    if (this.mode === 'hang') return;
    if (this.mode === 'server_error') return this.send(res, 503, { message: 'Service temporarily unavailable' });
    if (this.mode === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"payment_id": ');
      return;
    }
    if (req.headers['x-api-key'] !== FAKE_API_KEY) {
      this.problems.push(`bad x-api-key ${String(req.headers['x-api-key'])}`);
      return this.send(res, 403, { statusCode: 403, code: 'INVALID_API_KEY', message: 'Invalid api key' });
    }
    if (req.method === 'POST' && path === '/v1/payment') return this.create(req, res, body);
    const match = /^\/v1\/payment\/(\d+)$/.exec(path);
    if (req.method === 'GET' && match) {
      const payment = this.payments.get(match[1]!);
      if (!payment) return this.send(res, 404, { message: 'Payment not found' });
      return this.send(res, 200, {
        ...payment,
        payment_id: Number(payment.payment_id),
        purchase_id: String(randomInt(1e9, 9e9)),
        created_at: '2026-11-25T07:00:00.000Z',
        updated_at: '2026-11-25T07:10:00.000Z',
        outcome_amount: payment.actually_paid,
        outcome_currency: payment.pay_currency,
      });
    }
    this.problems.push(`unexpected ${req.method} ${path}`);
    this.send(res, 404, { message: 'Not found' });
  }

  private create(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const fields = (body ?? {}) as Record<string, unknown>;
    const keys = Object.keys(fields).sort();
    if (!String(req.headers['content-type']).startsWith('application/json')) this.problems.push('content-type is not JSON');
    if (JSON.stringify(keys) !== JSON.stringify(CREATE_FIELDS)) this.problems.push(`create body fields ${keys.join(',')}`);
    if (typeof fields.price_amount !== 'number') this.problems.push('price_amount is not a number');
    if (fields.price_currency !== 'usd') this.problems.push('price_currency is not usd');
    if (this.problems.length) return this.send(res, 400, { message: this.problems.join('; ') });

    const paymentId = String(randomInt(4e9, 9e9));
    const payment: FakePayment = {
      payment_id: paymentId,
      payment_status: 'waiting',
      pay_address: 'TVPw1vYm71owVoB6NXfV4AUxRcrHPbNB86',
      price_amount: fields.price_amount as number,
      price_currency: 'usd',
      // An exchange rate that does not round nicely, as in the contract's example.
      pay_amount: Math.round((fields.price_amount as number) * 0.995819 * 1e6) / 1e6,
      actually_paid: 0,
      pay_currency: String(fields.pay_currency),
      order_id: String(fields.order_id),
      order_description: String(fields.order_description),
    };
    this.payments.set(paymentId, payment);
    this.send(res, 201, {
      ...payment,
      ipn_callback_url: fields.ipn_callback_url,
      created_at: '2026-11-25T07:00:00.000Z',
      updated_at: '2026-11-25T07:00:00.000Z',
      purchase_id: String(randomInt(1e9, 9e9)),
      amount_received: null,
      payin_extra_id: null,
      smart_contract: '',
      network: 'trx',
      network_precision: 6,
      time_limit: null,
      burning_percent: null,
      expiration_estimate_date: '2026-11-25T07:20:00.000Z',
    });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
