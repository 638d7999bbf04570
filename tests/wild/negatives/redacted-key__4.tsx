// components/ApiKeyRow.tsx — shows a stored key without revealing it
type Props = { provider: "modelslab" | "getimg" | "imagen" | "phota"; last4: string; fingerprint: string };

export function ApiKeyRow({ provider, last4, fingerprint }: Props) {
  const masked = "•".repeat(12) + last4;
  return (
    <tr key={`${provider}-${fingerprint}`} data-testid={`api-key-row-${provider}`}>
      <td>{provider}</td>
      <td><code>{masked}</code></td>
      <td title={fingerprint}>{fingerprint.slice(0, 12)}</td>
    </tr>
  );
}

// storybook sample props
export const sample: Props = { provider: "imagen", last4: "qsm2", fingerprint: "sha256:ae51f0cf381e4f625cb380e2ce63f49de4069a65821c010bec4f1e8444e06180" };
