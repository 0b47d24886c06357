/**
 * One sample of every high-value token format the masking must catch, built from parts so the
 * repository itself holds no contiguous credential-shaped string. None of them is real.
 */
const hex = (n: number, seed = 7) =>
  Array.from({ length: n }, (_, i) => "0123456789abcdef"[(i * seed + 3) % 16]).join("");
const alnum = (n: number, seed = 11) =>
  Array.from(
    { length: n },
    (_, i) => "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[(i * seed + 5) % 57],
  ).join("");

export const SECRET_SAMPLES: { kind: string; text: string; secret: string }[] = (() => {
  const jwt = `${"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"}.${"eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvZSJ9"}.${alnum(43)}`;
  const stripe = `${"sk_"}${"live_"}${alnum(24, 13)}`;
  const stripeRestricted = `${"rk_"}${"live_"}${alnum(24, 17)}`;
  const gcpKeyId = hex(40);
  const googleApi = `${"AIza"}Sy${alnum(33, 19)}`;
  const gitlab = `${"glpat-"}${alnum(20, 23)}`;
  const slack = `${"xoxb-"}1234567890-1234567890123-${alnum(24, 29)}`;
  const github = `${"ghp_"}${alnum(36, 31)}`;
  const aws = `${"AKIA"}${"IOSFODNN7EXAMPLF"}`;
  const hf = `${"hf_"}${alnum(34, 37)}`;
  return [
    { kind: "JWT", secret: jwt, text: `the session cookie is ${jwt} for now` },
    { kind: "Stripe", secret: stripe, text: `billing uses ${stripe}` },
    { kind: "Stripe restricted", secret: stripeRestricted, text: `webhooks read with ${stripeRestricted}` },
    {
      kind: "GCP service account",
      secret: gcpKeyId,
      text: `{"type": "service_account", "project_id": "orders", "private_key_id": "${gcpKeyId}"}`,
    },
    { kind: "Google API key", secret: googleApi, text: `maps key ${googleApi}` },
    { kind: "GitLab", secret: gitlab, text: `CI clones with ${gitlab}` },
    { kind: "Slack", secret: slack, text: `the bot runs as ${slack}` },
    { kind: "GitHub", secret: github, text: `deploys with ${github}` },
    { kind: "AWS", secret: aws, text: `key id ${aws}` },
    { kind: "Hugging Face", secret: hf, text: `models pulled with ${hf}` },
  ];
})();
