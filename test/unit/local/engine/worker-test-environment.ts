/** The environment a worker inherits (the local stack's, in a run): nothing listens at this endpoint. */
const WORKER_TEST_ENVIRONMENT = {
  DATA_BUCKET_NAME: 'payguard-test',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_MAX_ATTEMPTS: '1',
};

/** Sets the workers' test environment in this process; the function returned puts back what was there. */
export function setWorkerTestEnvironment(): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(WORKER_TEST_ENVIRONMENT)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
