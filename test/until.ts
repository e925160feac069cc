// Polls `probe` until it returns something truthy, or fails after `ms`.
export async function until<T>(
  probe: () => Promise<T | false | null | undefined>,
  ms = 60_000,
  every = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  throw new Error(`timed out after ${ms} ms`);
}
