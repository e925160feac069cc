// Where Prometheus looks by default: the same scrape as GET /api/v1/metrics.
export { GET } from '@/app/api/v1/metrics/route';
