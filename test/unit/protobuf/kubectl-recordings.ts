// Request bodies recorded from real kubectl binaries (our own recordings, through a capturing
// proxy in front of kubefacade): kubectl v1.31.9 sends JSON, v1.32.5 and v1.33.1 send protobuf for
// the same commands. The protobuf bodies decoded must equal the JSON bodies (after normalising
// what differs between the recordings: CSR names, uids, resourceVersions, times).
// Generator flags use --dry-run=server so that every recording could use the same names.

export interface KubectlRecording {
  /** What was run (the version suffix of CSR names is 131/132/133 per kubectl version). */
  name: string;
  args: string[];
  method: string;
  /** Path and query of the request as sent by kubectl 1.33. */
  url: string;
  /** The JSON body kubectl 1.31 sent. */
  json: string;
  /** base64 of the protobuf bodies kubectl 1.32 and 1.33 sent. */
  protobuf: { "1.32": string; "1.33": string };
}

export const RECORDINGS: KubectlRecording[] = [
  {
    name: "configmap",
    args: ["create", "configmap", "cm-x", "--from-literal=a=b", "--from-literal=c=d", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/configmaps?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm-x\",\"creationTimestamp\":null},\"data\":{\"a\":\"b\",\"c\":\"d\"}}",
    protobuf: {
      "1.32": "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiYKFAoEY20teBIAGgAiACoAMgA4AEIAEgYKAWESAWISBgoBYxIBZBoAIgA=",
      "1.33": "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiYKFAoEY20teBIAGgAiACoAMgA4AEIAEgYKAWESAWISBgoBYxIBZBoAIgA=",
    },
  },
  {
    name: "secret generic",
    args: ["create", "secret", "generic", "s-x", "--from-literal=a=b", "--type=Opaque", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/secrets?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s-x\",\"creationTimestamp\":null},\"data\":{\"a\":\"Yg==\"},\"type\":\"Opaque\"}",
    protobuf: {
      "1.32": "azhzAAoMCgJ2MRIGU2VjcmV0EiUKEwoDcy14EgAaACIAKgAyADgAQgASBgoBYRIBYhoGT3BhcXVlGgAiAA==",
      "1.33": "azhzAAoMCgJ2MRIGU2VjcmV0EiUKEwoDcy14EgAaACIAKgAyADgAQgASBgoBYRIBYhoGT3BhcXVlGgAiAA==",
    },
  },
  {
    name: "secret tls",
    args: ["create", "secret", "tls", "tls1", "--cert=/tmp/pbcmp/tls.crt", "--key=/tmp/pbcmp/tls.key", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/secrets?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"tls1\",\"creationTimestamp\":null},\"data\":{\"tls.crt\":\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJlVENDQVIrZ0F3SUJBZ0lVWHBhTk5XVXdXVnc1bWlQNWNhTUFsNWUyNTdjd0NnWUlLb1pJemowRUF3SXcKRWpFUU1BNEdBMVVFQXd3SFptbDRkSFZ5WlRBZUZ3MHlOakV4TWpJd05qQXhNek5hRncwek5qRXhNVGt3TmpBeApNek5hTUJJeEVEQU9CZ05WQkFNTUIyWnBlSFIxY21Vd1dUQVRCZ2NxaGtqT1BRSUJCZ2dxaGtqT1BRTUJCd05DCkFBUmxscnI2OStJU2RDODNVRjlZUmRJTTFrZ1VBWVZKOWFKclVDOFlVWS83NEk2c0VmV2VlWC8rK0Q2MG5FTVQKNVhQeEhDMlV6T0UxRTB2K3NqS1NiVDhhbzFNd1VUQWRCZ05WSFE0RUZnUVVNMWFsZld3TU9lS0F6M2o5MUNLLwpMQnhDK2lnd0h3WURWUjBqQkJnd0ZvQVVNMWFsZld3TU9lS0F6M2o5MUNLL0xCeEMraWd3RHdZRFZSMFRBUUgvCkJBVXdBd0VCL3pBS0JnZ3Foa2pPUFFRREFnTklBREJGQWlFQTg1cTJxV1lTdmx0T0EySDVPUDdrTzhvamR5UUYKektXV01KUE1LeGtLQ25VQ0lGWGJMWkZJVkRNQ2ZrZXZFaTUrdDMwdFprbXFYZGQ1SjFRVE1vcklsQ3luCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K\",\"tls.key\":\"LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JR0hBZ0VBTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEJHMHdhd0lCQVFRZzE4NTFNOHpNRzJXUDYzeW8KNlBEQUlBSURKY0tUanM4Y3UyUU1kUEhickFtaFJBTkNBQVJsbHJyNjkrSVNkQzgzVUY5WVJkSU0xa2dVQVlWSgo5YUpyVUM4WVVZLzc0STZzRWZXZWVYLysrRDYwbkVNVDVYUHhIQzJVek9FMUUwditzaktTYlQ4YQotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg==\"},\"type\":\"kubernetes.io/tls\"}",
    protobuf: {
      "1.32": "azhzAAoMCgJ2MRIGU2VjcmV0EvIGChQKBHRsczESABoAIgAqADIAOABCABLGBAoHdGxzLmNydBK6BC0tLS0tQkVHSU4gQ0VSVElGSUNBVEUtLS0tLQpNSUlCZVRDQ0FSK2dBd0lCQWdJVVhwYU5OV1V3V1Z3NW1pUDVjYU1BbDVlMjU3Y3dDZ1lJS29aSXpqMEVBd0l3CkVqRVFNQTRHQTFVRUF3d0habWw0ZEhWeVpUQWVGdzB5TmpFeE1qSXdOakF4TXpOYUZ3MHpOakV4TVRrd05qQXgKTXpOYU1CSXhFREFPQmdOVkJBTU1CMlpwZUhSMWNtVXdXVEFUQmdjcWhrak9QUUlCQmdncWhrak9QUU1CQndOQwpBQVJsbHJyNjkrSVNkQzgzVUY5WVJkSU0xa2dVQVlWSjlhSnJVQzhZVVkvNzRJNnNFZldlZVgvKytENjBuRU1UCjVYUHhIQzJVek9FMUUwditzaktTYlQ4YW8xTXdVVEFkQmdOVkhRNEVGZ1FVTTFhbGZXd01PZUtBejNqOTFDSy8KTEJ4QytpZ3dId1lEVlIwakJCZ3dGb0FVTTFhbGZXd01PZUtBejNqOTFDSy9MQnhDK2lnd0R3WURWUjBUQVFILwpCQVV3QXdFQi96QUtCZ2dxaGtqT1BRUURBZ05JQURCRkFpRUE4NXEycVdZU3ZsdE9BMkg1T1A3a084b2pkeVFGCnpLV1dNSlBNS3hrS0NuVUNJRlhiTFpGSVZETUNma2V2RWk1K3QzMHRaa21xWGRkNUoxUVRNb3JJbEN5bgotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tChL9AQoHdGxzLmtleRLxAS0tLS0tQkVHSU4gUFJJVkFURSBLRVktLS0tLQpNSUdIQWdFQU1CTUdCeXFHU000OUFnRUdDQ3FHU000OUF3RUhCRzB3YXdJQkFRUWcxODUxTTh6TUcyV1A2M3lvCjZQREFJQUlESmNLVGpzOGN1MlFNZFBIYnJBbWhSQU5DQUFSbGxycjY5K0lTZEM4M1VGOVlSZElNMWtnVUFZVkoKOWFKclVDOFlVWS83NEk2c0VmV2VlWC8rK0Q2MG5FTVQ1WFB4SEMyVXpPRTFFMHYrc2pLU2JUOGEKLS0tLS1FTkQgUFJJVkFURSBLRVktLS0tLQoaEWt1YmVybmV0ZXMuaW8vdGxzGgAiAA==",
      "1.33": "azhzAAoMCgJ2MRIGU2VjcmV0EvIGChQKBHRsczESABoAIgAqADIAOABCABLGBAoHdGxzLmNydBK6BC0tLS0tQkVHSU4gQ0VSVElGSUNBVEUtLS0tLQpNSUlCZVRDQ0FSK2dBd0lCQWdJVVhwYU5OV1V3V1Z3NW1pUDVjYU1BbDVlMjU3Y3dDZ1lJS29aSXpqMEVBd0l3CkVqRVFNQTRHQTFVRUF3d0habWw0ZEhWeVpUQWVGdzB5TmpFeE1qSXdOakF4TXpOYUZ3MHpOakV4TVRrd05qQXgKTXpOYU1CSXhFREFPQmdOVkJBTU1CMlpwZUhSMWNtVXdXVEFUQmdjcWhrak9QUUlCQmdncWhrak9QUU1CQndOQwpBQVJsbHJyNjkrSVNkQzgzVUY5WVJkSU0xa2dVQVlWSjlhSnJVQzhZVVkvNzRJNnNFZldlZVgvKytENjBuRU1UCjVYUHhIQzJVek9FMUUwditzaktTYlQ4YW8xTXdVVEFkQmdOVkhRNEVGZ1FVTTFhbGZXd01PZUtBejNqOTFDSy8KTEJ4QytpZ3dId1lEVlIwakJCZ3dGb0FVTTFhbGZXd01PZUtBejNqOTFDSy9MQnhDK2lnd0R3WURWUjBUQVFILwpCQVV3QXdFQi96QUtCZ2dxaGtqT1BRUURBZ05JQURCRkFpRUE4NXEycVdZU3ZsdE9BMkg1T1A3a084b2pkeVFGCnpLV1dNSlBNS3hrS0NuVUNJRlhiTFpGSVZETUNma2V2RWk1K3QzMHRaa21xWGRkNUoxUVRNb3JJbEN5bgotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tChL9AQoHdGxzLmtleRLxAS0tLS0tQkVHSU4gUFJJVkFURSBLRVktLS0tLQpNSUdIQWdFQU1CTUdCeXFHU000OUFnRUdDQ3FHU000OUF3RUhCRzB3YXdJQkFRUWcxODUxTTh6TUcyV1A2M3lvCjZQREFJQUlESmNLVGpzOGN1MlFNZFBIYnJBbWhSQU5DQUFSbGxycjY5K0lTZEM4M1VGOVlSZElNMWtnVUFZVkoKOWFKclVDOFlVWS83NEk2c0VmV2VlWC8rK0Q2MG5FTVQ1WFB4SEMyVXpPRTFFMHYrc2pLU2JUOGEKLS0tLS1FTkQgUFJJVkFURSBLRVktLS0tLQoaEWt1YmVybmV0ZXMuaW8vdGxzGgAiAA==",
    },
  },
  {
    name: "secret docker-registry",
    args: ["create", "secret", "docker-registry", "reg1", "--docker-username=u", "--docker-password=p", "--docker-server=example.com", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/secrets?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"reg1\",\"creationTimestamp\":null},\"data\":{\".dockerconfigjson\":\"eyJhdXRocyI6eyJleGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0=\"},\"type\":\"kubernetes.io/dockerconfigjson\"}",
    protobuf: {
      "1.32": "azhzAAoMCgJ2MRIGU2VjcmV0EpQBChQKBHJlZzESABoAIgAqADIAOABCABJcChEuZG9ja2VyY29uZmlnanNvbhJHeyJhdXRocyI6eyJleGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0aHmt1YmVybmV0ZXMuaW8vZG9ja2VyY29uZmlnanNvbhoAIgA=",
      "1.33": "azhzAAoMCgJ2MRIGU2VjcmV0EpQBChQKBHJlZzESABoAIgAqADIAOABCABJcChEuZG9ja2VyY29uZmlnanNvbhJHeyJhdXRocyI6eyJleGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0aHmt1YmVybmV0ZXMuaW8vZG9ja2VyY29uZmlnanNvbhoAIgA=",
    },
  },
  {
    name: "deployment",
    args: ["create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80", "--dry-run=server"],
    method: "POST",
    url: "/apis/apps/v1/namespaces/default/deployments?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\",\"creationTimestamp\":null,\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"creationTimestamp\":null,\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}],\"resources\":{}}]}},\"strategy\":{}},\"status\":{}}",
    protobuf: {
      "1.32": "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEoYBCAISDAoKCgNhcHASA3dlYhpsChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkwSLgoFbmdpbngSBW5naW54KgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
      "1.33": "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEoYBCAISDAoKCgNhcHASA3dlYhpsChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkwSLgoFbmdpbngSBW5naW54KgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
    },
  },
  {
    name: "job",
    args: ["create", "job", "j1", "--image=busybox", "--dry-run=server", "--", "echo", "hi"],
    method: "POST",
    url: "/apis/batch/v1/namespaces/default/jobs?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\",\"metadata\":{\"name\":\"j1\",\"creationTimestamp\":null},\"spec\":{\"template\":{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"containers\":[{\"name\":\"j1\",\"image\":\"busybox\",\"command\":[\"echo\",\"hi\"],\"resources\":{}}],\"restartPolicy\":\"Never\"}}},\"status\":{}}",
    protobuf: {
      "1.32": "azhzAAoPCghiYXRjaC92MRIDSm9iEoQBChIKAmoxEgAaACIAKgAyADgAQgASZDJiChAKABIAGgAiACoAMgA4AEIAEk4SKwoCajESB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA==",
      "1.33": "azhzAAoPCghiYXRjaC92MRIDSm9iEoQBChIKAmoxEgAaACIAKgAyADgAQgASZDJiChAKABIAGgAiACoAMgA4AEIAEk4SKwoCajESB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA==",
    },
  },
  {
    name: "cronjob",
    args: ["create", "cronjob", "cj1", "--image=busybox", "--schedule=*/5 * * * *", "--dry-run=server", "--", "echo", "hi"],
    method: "POST",
    url: "/apis/batch/v1/namespaces/default/cronjobs?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"CronJob\",\"apiVersion\":\"batch/v1\",\"metadata\":{\"name\":\"cj1\",\"creationTimestamp\":null},\"spec\":{\"schedule\":\"*/5 * * * *\",\"jobTemplate\":{\"metadata\":{\"name\":\"cj1\",\"creationTimestamp\":null},\"spec\":{\"template\":{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"containers\":[{\"name\":\"cj1\",\"image\":\"busybox\",\"command\":[\"echo\",\"hi\"],\"resources\":{}}],\"restartPolicy\":\"OnFailure\"}}}}},\"status\":{}}",
    protobuf: {
      "1.32": "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKsAQoTCgNjajESABoAIgAqADIAOABCABKSAQoLKi81ICogKiAqICoaACqAAQoTCgNjajESABoAIgAqADIAOABCABJpMmcKEAoAEgAaACIAKgAyADgAQgASUxIsCgNjajESB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaCU9uRmFpbHVyZTIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAGgAaACIA",
      "1.33": "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKsAQoTCgNjajESABoAIgAqADIAOABCABKSAQoLKi81ICogKiAqICoaACqAAQoTCgNjajESABoAIgAqADIAOABCABJpMmcKEAoAEgAaACIAKgAyADgAQgASUxIsCgNjajESB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaCU9uRmFpbHVyZTIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAGgAaACIA",
    },
  },
  {
    name: "namespace",
    args: ["create", "namespace", "ns1", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"ns1\",\"creationTimestamp\":null},\"spec\":{},\"status\":{}}",
    protobuf: {
      "1.32": "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnMxEgAaACIAKgAyADgAQgASABoCCgAaACIA",
      "1.33": "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnMxEgAaACIAKgAyADgAQgASABoCCgAaACIA",
    },
  },
  {
    name: "serviceaccount",
    args: ["create", "serviceaccount", "sa1", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/serviceaccounts?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"sa1\",\"creationTimestamp\":null}}",
    protobuf: {
      "1.32": "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFQoTCgNzYTESABoAIgAqADIAOABCABoAIgA=",
      "1.33": "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFQoTCgNzYTESABoAIgAqADIAOABCABoAIgA=",
    },
  },
  {
    name: "service clusterip",
    args: ["create", "service", "clusterip", "svc1", "--tcp=80:8080", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/services?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Service\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"svc1\",\"creationTimestamp\":null,\"labels\":{\"app\":\"svc1\"}},\"spec\":{\"ports\":[{\"name\":\"80-8080\",\"protocol\":\"TCP\",\"port\":80,\"targetPort\":8080}],\"selector\":{\"app\":\"svc1\"},\"type\":\"ClusterIP\"},\"status\":{\"loadBalancer\":{}}}",
    protobuf: {
      "1.32": "azhzAAoNCgJ2MRIHU2VydmljZRJsCiEKBHN2YzESABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzESQwobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMRoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
      "1.33": "azhzAAoNCgJ2MRIHU2VydmljZRJsCiEKBHN2YzESABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzESQwobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMRoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
    },
  },
  {
    name: "service nodeport",
    args: ["create", "service", "nodeport", "svc2", "--tcp=80:8080", "--node-port=30080", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/services?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Service\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"svc2\",\"creationTimestamp\":null,\"labels\":{\"app\":\"svc2\"}},\"spec\":{\"ports\":[{\"name\":\"80-8080\",\"protocol\":\"TCP\",\"port\":80,\"targetPort\":8080,\"nodePort\":30080}],\"selector\":{\"app\":\"svc2\"},\"type\":\"NodePort\"},\"status\":{\"loadBalancer\":{}}}",
    protobuf: {
      "1.32": "azhzAAoNCgJ2MRIHU2VydmljZRJtCiEKBHN2YzISABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzISRAodCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACiA6wESCwoDYXBwEgRzdmMyGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=",
      "1.33": "azhzAAoNCgJ2MRIHU2VydmljZRJtCiEKBHN2YzISABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzISRAodCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACiA6wESCwoDYXBwEgRzdmMyGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=",
    },
  },
  {
    name: "service loadbalancer",
    args: ["create", "service", "loadbalancer", "svc3", "--tcp=443:8443", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/services?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Service\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"svc3\",\"creationTimestamp\":null,\"labels\":{\"app\":\"svc3\"}},\"spec\":{\"ports\":[{\"name\":\"443-8443\",\"protocol\":\"TCP\",\"port\":443,\"targetPort\":8443}],\"selector\":{\"app\":\"svc3\"},\"type\":\"LoadBalancer\"},\"status\":{\"loadBalancer\":{}}}",
    protobuf: {
      "1.32": "azhzAAoNCgJ2MRIHU2VydmljZRJxCiEKBHN2YzMSABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzMSSAodCgg0NDMtODQ0MxIDVENQGLsDIgcIABD7QRoAKAASCwoDYXBwEgRzdmMzGgAiDExvYWRCYWxhbmNlcjoAQgBSAFoAYABoABoCCgAaACIA",
      "1.33": "azhzAAoNCgJ2MRIHU2VydmljZRJxCiEKBHN2YzMSABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzMSSAodCgg0NDMtODQ0MxIDVENQGLsDIgcIABD7QRoAKAASCwoDYXBwEgRzdmMzGgAiDExvYWRCYWxhbmNlcjoAQgBSAFoAYABoABoCCgAaACIA",
    },
  },
  {
    name: "service externalname",
    args: ["create", "service", "externalname", "svc4", "--external-name=example.com", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/services?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Service\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"svc4\",\"creationTimestamp\":null,\"labels\":{\"app\":\"svc4\"}},\"spec\":{\"selector\":{\"app\":\"svc4\"},\"type\":\"ExternalName\",\"externalName\":\"example.com\"},\"status\":{\"loadBalancer\":{}}}",
    protobuf: {
      "1.32": "azhzAAoNCgJ2MRIHU2VydmljZRJdCiEKBHN2YzQSABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzQSNBILCgNhcHASBHN2YzQaACIMRXh0ZXJuYWxOYW1lOgBCAFILZXhhbXBsZS5jb21aAGAAaAAaAgoAGgAiAA==",
      "1.33": "azhzAAoNCgJ2MRIHU2VydmljZRJdCiEKBHN2YzQSABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzQSNBILCgNhcHASBHN2YzQaACIMRXh0ZXJuYWxOYW1lOgBCAFILZXhhbXBsZS5jb21aAGAAaAAaAgoAGgAiAA==",
    },
  },
  {
    name: "role",
    args: ["create", "role", "r1", "--verb=get", "--verb=list", "--resource=pods", "--resource=deployments.apps", "--dry-run=server"],
    method: "POST",
    url: "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Role\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"metadata\":{\"name\":\"r1\",\"creationTimestamp\":null},\"rules\":[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]},{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\"]}]}",
    protobuf: {
      "1.32": "azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEkkKEgoCcjESABoAIgAqADIAOABCABITCgNnZXQKBGxpc3QSABoEcG9kcxIeCgNnZXQKBGxpc3QSBGFwcHMaC2RlcGxveW1lbnRzGgAiAA==",
      "1.33": "azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEkkKEgoCcjESABoAIgAqADIAOABCABITCgNnZXQKBGxpc3QSABoEcG9kcxIeCgNnZXQKBGxpc3QSBGFwcHMaC2RlcGxveW1lbnRzGgAiAA==",
    },
  },
  {
    name: "clusterrole",
    args: ["create", "clusterrole", "cr1", "--verb=get", "--resource=pods", "--resource-name=x", "--dry-run=server"],
    method: "POST",
    url: "/apis/rbac.authorization.k8s.io/v1/clusterroles?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"ClusterRole\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"metadata\":{\"name\":\"cr1\",\"creationTimestamp\":null},\"rules\":[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"resourceNames\":[\"x\"]}]}",
    protobuf: {
      "1.32": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRInChMKA2NyMRIAGgAiACoAMgA4AEIAEhAKA2dldBIAGgRwb2RzIgF4GgAiAA==",
      "1.33": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRInChMKA2NyMRIAGgAiACoAMgA4AEIAEhAKA2dldBIAGgRwb2RzIgF4GgAiAA==",
    },
  },
  {
    name: "clusterrole aggregation",
    args: ["create", "clusterrole", "cr2", "--aggregation-rule=a=b", "--dry-run=server"],
    method: "POST",
    url: "/apis/rbac.authorization.k8s.io/v1/clusterroles?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"ClusterRole\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"metadata\":{\"name\":\"cr2\",\"creationTimestamp\":null},\"rules\":null,\"aggregationRule\":{\"clusterRoleSelectors\":[{\"matchLabels\":{\"a\":\"b\"}}]}}",
    protobuf: {
      "1.32": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRIhChMKA2NyMhIAGgAiACoAMgA4AEIAGgoKCAoGCgFhEgFiGgAiAA==",
      "1.33": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRIhChMKA2NyMhIAGgAiACoAMgA4AEIAGgoKCAoGCgFhEgFiGgAiAA==",
    },
  },
  {
    name: "rolebinding",
    args: ["create", "rolebinding", "rb1", "--role=r1", "--user=alice", "--serviceaccount=default:sa1", "--dry-run=server"],
    method: "POST",
    url: "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"RoleBinding\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"metadata\":{\"name\":\"rb1\",\"creationTimestamp\":null},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"alice\"},{\"kind\":\"ServiceAccount\",\"name\":\"sa1\",\"namespace\":\"default\"}],\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"r1\"}}",
    protobuf: {
      "1.32": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxKKAQoTCgNyYjESABoAIgAqADIAOABCABIqCgRVc2VyEhlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvGgVhbGljZSIAEiAKDlNlcnZpY2VBY2NvdW50EgAaA3NhMSIHZGVmYXVsdBolChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgRSb2xlGgJyMRoAIgA=",
      "1.33": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxKKAQoTCgNyYjESABoAIgAqADIAOABCABIqCgRVc2VyEhlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvGgVhbGljZSIAEiAKDlNlcnZpY2VBY2NvdW50EgAaA3NhMSIHZGVmYXVsdBolChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgRSb2xlGgJyMRoAIgA=",
    },
  },
  {
    name: "clusterrolebinding",
    args: ["create", "clusterrolebinding", "crb1", "--clusterrole=view", "--group=devs", "--dry-run=server"],
    method: "POST",
    url: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"ClusterRoleBinding\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"metadata\":{\"name\":\"crb1\",\"creationTimestamp\":null},\"subjects\":[{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"devs\"}],\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"view\"}}",
    protobuf: {
      "1.32": "azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcScgoUCgRjcmIxEgAaACIAKgAyADgAQgASKgoFR3JvdXASGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBGRldnMiABouChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgtDbHVzdGVyUm9sZRoEdmlldxoAIgA=",
      "1.33": "azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcScgoUCgRjcmIxEgAaACIAKgAyADgAQgASKgoFR3JvdXASGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBGRldnMiABouChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgtDbHVzdGVyUm9sZRoEdmlldxoAIgA=",
    },
  },
  {
    name: "quota",
    args: ["create", "quota", "q1", "--hard=cpu=1,memory=1G,pods=2", "--scopes=BestEffort", "--dry-run=server"],
    method: "POST",
    url: "/api/v1/namespaces/default/resourcequotas?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"ResourceQuota\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"q1\",\"creationTimestamp\":null},\"spec\":{\"hard\":{\"cpu\":\"1\",\"memory\":\"1G\",\"pods\":\"2\"},\"scopes\":[\"BestEffort\"]},\"status\":{}}",
    protobuf: {
      "1.32": "azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJNChIKAnExEgAaACIAKgAyADgAQgASNQoKCgNjcHUSAwoBMQoOCgZtZW1vcnkSBAoCMUcKCwoEcG9kcxIDCgEyEgpCZXN0RWZmb3J0GgAaACIA",
      "1.33": "azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJNChIKAnExEgAaACIAKgAyADgAQgASNQoKCgNjcHUSAwoBMQoOCgZtZW1vcnkSBAoCMUcKCwoEcG9kcxIDCgEyEgpCZXN0RWZmb3J0GgAaACIA",
    },
  },
  {
    name: "priorityclass",
    args: ["create", "priorityclass", "pc1", "--value=1000", "--description=hi", "--preemption-policy=Never", "--dry-run=server"],
    method: "POST",
    url: "/apis/scheduling.k8s.io/v1/priorityclasses?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"PriorityClass\",\"apiVersion\":\"scheduling.k8s.io/v1\",\"metadata\":{\"name\":\"pc1\",\"creationTimestamp\":null},\"value\":1000,\"description\":\"hi\",\"preemptionPolicy\":\"Never\"}",
    protobuf: {
      "1.32": "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxIlChMKA3BjMRIAGgAiACoAMgA4AEIAEOgHGAAiAmhpKgVOZXZlchoAIgA=",
      "1.33": "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxIlChMKA3BjMRIAGgAiACoAMgA4AEIAEOgHGAAiAmhpKgVOZXZlchoAIgA=",
    },
  },
  {
    name: "poddisruptionbudget",
    args: ["create", "poddisruptionbudget", "pdb1", "--selector=app=x", "--min-available=50%", "--dry-run=server"],
    method: "POST",
    url: "/apis/policy/v1/namespaces/default/poddisruptionbudgets?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"PodDisruptionBudget\",\"apiVersion\":\"policy/v1\",\"metadata\":{\"name\":\"pdb1\",\"creationTimestamp\":null},\"spec\":{\"minAvailable\":\"50%\",\"selector\":{\"matchLabels\":{\"app\":\"x\"}}},\"status\":{\"disruptionsAllowed\":0,\"currentHealthy\":0,\"desiredHealthy\":0,\"expectedPods\":0}}",
    protobuf: {
      "1.32": "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSOwoUCgRwZGIxEgAaACIAKgAyADgAQgASFwoJCAEQABoDNTAlEgoKCAoDYXBwEgF4GgoIABgAIAAoADAAGgAiAA==",
      "1.33": "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSOwoUCgRwZGIxEgAaACIAKgAyADgAQgASFwoJCAEQABoDNTAlEgoKCAoDYXBwEgF4GgoIABgAIAAoADAAGgAiAA==",
    },
  },
  {
    name: "poddisruptionbudget max",
    args: ["create", "poddisruptionbudget", "pdb2", "--selector=app=x", "--max-unavailable=1", "--dry-run=server"],
    method: "POST",
    url: "/apis/policy/v1/namespaces/default/poddisruptionbudgets?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"PodDisruptionBudget\",\"apiVersion\":\"policy/v1\",\"metadata\":{\"name\":\"pdb2\",\"creationTimestamp\":null},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"maxUnavailable\":1},\"status\":{\"disruptionsAllowed\":0,\"currentHealthy\":0,\"desiredHealthy\":0,\"expectedPods\":0}}",
    protobuf: {
      "1.32": "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSOAoUCgRwZGIyEgAaACIAKgAyADgAQgASFBIKCggKA2FwcBIBeBoGCAAQARoAGgoIABgAIAAoADAAGgAiAA==",
      "1.33": "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSOAoUCgRwZGIyEgAaACIAKgAyADgAQgASFBIKCggKA2FwcBIBeBoGCAAQARoAGgoIABgAIAAoADAAGgAiAA==",
    },
  },
  {
    name: "ingress",
    args: ["create", "ingress", "ing1", "--rule=foo.com/bar*=svc1:8080,tls=my-cert", "--class=default", "--annotation=a=b", "--default-backend=defsvc:http", "--dry-run=server"],
    method: "POST",
    url: "/apis/networking.k8s.io/v1/namespaces/default/ingresses?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"Ingress\",\"apiVersion\":\"networking.k8s.io/v1\",\"metadata\":{\"name\":\"ing1\",\"creationTimestamp\":null,\"annotations\":{\"a\":\"b\"}},\"spec\":{\"ingressClassName\":\"default\",\"defaultBackend\":{\"service\":{\"name\":\"defsvc\",\"port\":{\"name\":\"http\"}}},\"tls\":[{\"hosts\":[\"foo.com\"],\"secretName\":\"my-cert\"}],\"rules\":[{\"host\":\"foo.com\",\"http\":{\"paths\":[{\"path\":\"/bar\",\"pathType\":\"Prefix\",\"backend\":{\"service\":{\"name\":\"svc1\",\"port\":{\"number\":8080}}}}]}}]},\"status\":{\"loadBalancer\":{}}}",
    protobuf: {
      "1.32": "azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxKHAQocCgRpbmcxEgAaACIAKgAyADgAQgBiBgoBYRIBYhJjChQiEgoGZGVmc3ZjEggKBGh0dHAQABISCgdmb28uY29tEgdteS1jZXJ0Gi4KB2Zvby5jb20SIwohCh8KBC9iYXISDyINCgRzdmMxEgUKABCQPxoGUHJlZml4IgdkZWZhdWx0GgIKABoAIgA=",
      "1.33": "azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxKHAQocCgRpbmcxEgAaACIAKgAyADgAQgBiBgoBYRIBYhJjChQiEgoGZGVmc3ZjEggKBGh0dHAQABISCgdmb28uY29tEgdteS1jZXJ0Gi4KB2Zvby5jb20SIwohCh8KBC9iYXISDyINCgRzdmMxEgUKABCQPxoGUHJlZml4IgdkZWZhdWx0GgIKABoAIgA=",
    },
  },
  {
    name: "token",
    args: ["create", "token", "default", "--audience=api", "--duration=1h"],
    method: "POST",
    url: "/api/v1/namespaces/default/serviceaccounts/default/token",
    json: "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"audiences\":[\"api\"],\"expirationSeconds\":3600,\"boundObjectRef\":null},\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}",
    protobuf: {
      "1.32": "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIiChAKABIAGgAiACoAMgA4AEIAEggKA2FwaSCQHBoECgASABoAIgA=",
      "1.33": "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIiChAKABIAGgAiACoAMgA4AEIAEggKA2FwaSCQHBoECgASABoAIgA=",
    },
  },
  {
    name: "token bound",
    args: ["create", "token", "default", "--bound-object-kind=Secret", "--bound-object-name=s", "--bound-object-uid=123"],
    method: "POST",
    url: "/api/v1/namespaces/default/serviceaccounts/default/token",
    json: "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"audiences\":null,\"expirationSeconds\":null,\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"s\",\"uid\":\"123\"}},\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}",
    protobuf: {
      "1.32": "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIwChAKABIAGgAiACoAMgA4AEIAEhYaFAoGU2VjcmV0EgJ2MRoBcyIDMTIzGgQKABIAGgAiAA==",
      "1.33": "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIwChAKABIAGgAiACoAMgA4AEIAEhYaFAoGU2VjcmV0EgJ2MRoBcyIDMTIzGgQKABIAGgAiAA==",
    },
  },
  {
    name: "can-i",
    args: ["auth", "can-i", "get", "pods"],
    method: "POST",
    url: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    json: "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\",\"resource\":\"pods\"}},\"status\":{\"allowed\":false}}",
    protobuf: {
      "1.32": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPAoQCgASABoAIgAqADIAOABCABIeChwKB2RlZmF1bHQSA2dldBoAIgAqBHBvZHMyADoAGggIABIAGgAgABoAIgA=",
      "1.33": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPAoQCgASABoAIgAqADIAOABCABIeChwKB2RlZmF1bHQSA2dldBoAIgAqBHBvZHMyADoAGggIABIAGgAgABoAIgA=",
    },
  },
  {
    name: "can-i subresource",
    args: ["auth", "can-i", "get", "deployments.apps/scale", "-n", "kube-system"],
    method: "POST",
    url: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    json: "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"resourceAttributes\":{\"namespace\":\"kube-system\",\"verb\":\"get\",\"group\":\"apps\",\"resource\":\"deployments\",\"name\":\"scale\"}},\"status\":{\"allowed\":false}}",
    protobuf: {
      "1.32": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSUAoQCgASABoAIgAqADIAOABCABIyCjAKC2t1YmUtc3lzdGVtEgNnZXQaBGFwcHMiACoLZGVwbG95bWVudHMyADoFc2NhbGUaCAgAEgAaACAAGgAiAA==",
      "1.33": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSUAoQCgASABoAIgAqADIAOABCABIyCjAKC2t1YmUtc3lzdGVtEgNnZXQaBGFwcHMiACoLZGVwbG95bWVudHMyADoFc2NhbGUaCAgAEgAaACAAGgAiAA==",
    },
  },
  {
    name: "can-i nonresource",
    args: ["auth", "can-i", "get", "/healthz"],
    method: "POST",
    url: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    json: "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"nonResourceAttributes\":{\"path\":\"/healthz\",\"verb\":\"get\"}},\"status\":{\"allowed\":false}}",
    protobuf: {
      "1.32": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLwoQCgASABoAIgAqADIAOABCABIREg8KCC9oZWFsdGh6EgNnZXQaCAgAEgAaACAAGgAiAA==",
      "1.33": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLwoQCgASABoAIgAqADIAOABCABIREg8KCC9oZWFsdGh6EgNnZXQaCAgAEgAaACAAGgAiAA==",
    },
  },
  {
    name: "can-i list",
    args: ["auth", "can-i", "--list", "-n", "kube-system"],
    method: "POST",
    url: "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
    json: "{\"kind\":\"SelfSubjectRulesReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"namespace\":\"kube-system\"},\"status\":{\"resourceRules\":null,\"nonResourceRules\":null,\"incomplete\":false}}",
    protobuf: {
      "1.32": "azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxInChAKABIAGgAiACoAMgA4AEIAEg0KC2t1YmUtc3lzdGVtGgQYACIAGgAiAA==",
      "1.33": "azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxInChAKABIAGgAiACoAMgA4AEIAEg0KC2t1YmUtc3lzdGVtGgQYACIAGgAiAA==",
    },
  },
  {
    name: "whoami",
    args: ["auth", "whoami"],
    method: "POST",
    url: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    json: "{\"kind\":\"SelfSubjectReview\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"creationTimestamp\":null},\"status\":{\"userInfo\":{}}}",
    protobuf: {
      "1.32": "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=",
      "1.33": "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=",
    },
  },
  {
    name: "certificate approve",
    args: ["certificate", "approve", "csr-133"],
    method: "PUT",
    url: "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-133/approval",
    json: "{\"kind\":\"CertificateSigningRequest\",\"apiVersion\":\"certificates.k8s.io/v1\",\"metadata\":{\"name\":\"csr-131\",\"uid\":\"efe2d47c-f537-4a21-b79b-2bd0e9da5762\",\"resourceVersion\":\"11\",\"creationTimestamp\":\"2026-11-22T06:02:06Z\",\"managedFields\":[{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"certificates.k8s.io/v1\",\"time\":\"2026-11-22T06:02:06Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:request\":{},\"f:signerName\":{},\"f:usages\":{}}}}]},\"spec\":{\"request\":\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIS01ISUNBUUF3RURFT01Bd0dBMVVFQXd3RllXeHBZMlV3V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPUFFNQgpCd05DQUFUdlFtZHYwanhaUmJrckt3Q1QrT3pmMUhNQUFrTXE5WHZoMVRhSHlKNHYyMDVmQ0Fqam56NXpUWmd1CllRVXlqNlQzMXUzR1pqdkNkTmtheThjeFlZN01vQUF3Q2dZSUtvWkl6ajBFQXdJRFNBQXdSUUlnTW8yWkJlc0EKSjR5MVdnc2xGbmtiMEgzb3owRFV3OGhFZFhaOGZ6b1Q0R29DSVFDd1hjYmdyR2pPTjRGUm4rVitzNk1wUkhheApvVks2OWNuNExlZXJRZkhHaEE9PQotLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K\",\"signerName\":\"kubernetes.io/kube-apiserver-client\",\"usages\":[\"client auth\"],\"username\":\"kubernetes-admin\",\"groups\":[\"system:masters\",\"system:authenticated\"]},\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":\"True\",\"reason\":\"KubectlApprove\",\"message\":\"This CSR was approved by kubectl certificate approve.\",\"lastUpdateTime\":\"2026-11-22T06:02:11Z\",\"lastTransitionTime\":null}]}}",
    protobuf: {
      "1.32": "azhzAAozChZjZXJ0aWZpY2F0ZXMuazhzLmlvL3YxEhlDZXJ0aWZpY2F0ZVNpZ25pbmdSZXF1ZXN0EokGCs4BCgdjc3ItMTMyEgAaACIAKiRmNTkyN2VkMi0zNTJhLTQ3NDctYTNmNi1lZjgwYjYzNThmNDQyAjEzOABCCAjeiorYBhAAigGFAQoOa3ViZWN0bC1jcmVhdGUSBlVwZGF0ZRoWY2VydGlmaWNhdGVzLms4cy5pby92MSIICN6KitgGEAAyCEZpZWxkc1YxOj0KO3siZjpzcGVjIjp7ImY6cmVxdWVzdCI6e30sImY6c2lnbmVyTmFtZSI6e30sImY6dXNhZ2VzIjp7fX19QgASzgMK3wItLS0tLUJFR0lOIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQpNSUhLTUhJQ0FRQXdFREVPTUF3R0ExVUVBd3dGWVd4cFkyVXdXVEFUQmdjcWhrak9QUUlCQmdncWhrak9QUU1CCkJ3TkNBQVR2UW1kdjBqeFpSYmtyS3dDVCtPemYxSE1BQWtNcTlYdmgxVGFIeUo0djIwNWZDQWpqbno1elRaZ3UKWVFVeWo2VDMxdTNHWmp2Q2ROa2F5OGN4WVk3TW9BQXdDZ1lJS29aSXpqMEVBd0lEU0FBd1JRSWdNbzJaQmVzQQpKNHkxV2dzbEZua2IwSDNvejBEVXc4aEVkWFo4ZnpvVDRHb0NJUUN3WGNiZ3JHak9ONEZSbitWK3M2TXBSSGF4Cm9WSzY5Y240TGVlclFmSEdoQT09Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQoSEGt1YmVybmV0ZXMtYWRtaW4aACIOc3lzdGVtOm1hc3RlcnMiFHN5c3RlbTphdXRoZW50aWNhdGVkKgtjbGllbnQgYXV0aDoja3ViZXJuZXRlcy5pby9rdWJlLWFwaXNlcnZlci1jbGllbnQaZQpjCghBcHByb3ZlZBIOS3ViZWN0bEFwcHJvdmUaNVRoaXMgQ1NSIHdhcyBhcHByb3ZlZCBieSBrdWJlY3RsIGNlcnRpZmljYXRlIGFwcHJvdmUuIggI6IqK2AYQACoAMgRUcnVlGgAiAA==",
      "1.33": "azhzAAozChZjZXJ0aWZpY2F0ZXMuazhzLmlvL3YxEhlDZXJ0aWZpY2F0ZVNpZ25pbmdSZXF1ZXN0EokGCs4BCgdjc3ItMTMzEgAaACIAKiRhMmQ1YTc2MC05MzMwLTQ4OWUtODdkZC1kNGIyNGFhNDI5NTIyAjE1OABCCAjfiorYBhAAigGFAQoOa3ViZWN0bC1jcmVhdGUSBlVwZGF0ZRoWY2VydGlmaWNhdGVzLms4cy5pby92MSIICN+KitgGEAAyCEZpZWxkc1YxOj0KO3siZjpzcGVjIjp7ImY6cmVxdWVzdCI6e30sImY6c2lnbmVyTmFtZSI6e30sImY6dXNhZ2VzIjp7fX19QgASzgMK3wItLS0tLUJFR0lOIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQpNSUhLTUhJQ0FRQXdFREVPTUF3R0ExVUVBd3dGWVd4cFkyVXdXVEFUQmdjcWhrak9QUUlCQmdncWhrak9QUU1CCkJ3TkNBQVR2UW1kdjBqeFpSYmtyS3dDVCtPemYxSE1BQWtNcTlYdmgxVGFIeUo0djIwNWZDQWpqbno1elRaZ3UKWVFVeWo2VDMxdTNHWmp2Q2ROa2F5OGN4WVk3TW9BQXdDZ1lJS29aSXpqMEVBd0lEU0FBd1JRSWdNbzJaQmVzQQpKNHkxV2dzbEZua2IwSDNvejBEVXc4aEVkWFo4ZnpvVDRHb0NJUUN3WGNiZ3JHak9ONEZSbitWK3M2TXBSSGF4Cm9WSzY5Y240TGVlclFmSEdoQT09Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQoSEGt1YmVybmV0ZXMtYWRtaW4aACIOc3lzdGVtOm1hc3RlcnMiFHN5c3RlbTphdXRoZW50aWNhdGVkKgtjbGllbnQgYXV0aDoja3ViZXJuZXRlcy5pby9rdWJlLWFwaXNlcnZlci1jbGllbnQaZQpjCghBcHByb3ZlZBIOS3ViZWN0bEFwcHJvdmUaNVRoaXMgQ1NSIHdhcyBhcHByb3ZlZCBieSBrdWJlY3RsIGNlcnRpZmljYXRlIGFwcHJvdmUuIggI64qK2AYQACoAMgRUcnVlGgAiAA==",
    },
  },
  {
    name: "certificate deny",
    args: ["certificate", "deny", "csrd-133"],
    method: "PUT",
    url: "/apis/certificates.k8s.io/v1/certificatesigningrequests/csrd-133/approval",
    json: "{\"kind\":\"CertificateSigningRequest\",\"apiVersion\":\"certificates.k8s.io/v1\",\"metadata\":{\"name\":\"csrd-131\",\"uid\":\"4c70e46a-00f5-4ede-a5c4-18c690b31560\",\"resourceVersion\":\"12\",\"creationTimestamp\":\"2026-11-22T06:02:06Z\",\"managedFields\":[{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"certificates.k8s.io/v1\",\"time\":\"2026-11-22T06:02:06Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:request\":{},\"f:signerName\":{},\"f:usages\":{}}}}]},\"spec\":{\"request\":\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIS01ISUNBUUF3RURFT01Bd0dBMVVFQXd3RllXeHBZMlV3V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPUFFNQgpCd05DQUFUdlFtZHYwanhaUmJrckt3Q1QrT3pmMUhNQUFrTXE5WHZoMVRhSHlKNHYyMDVmQ0Fqam56NXpUWmd1CllRVXlqNlQzMXUzR1pqdkNkTmtheThjeFlZN01vQUF3Q2dZSUtvWkl6ajBFQXdJRFNBQXdSUUlnTW8yWkJlc0EKSjR5MVdnc2xGbmtiMEgzb3owRFV3OGhFZFhaOGZ6b1Q0R29DSVFDd1hjYmdyR2pPTjRGUm4rVitzNk1wUkhheApvVks2OWNuNExlZXJRZkhHaEE9PQotLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K\",\"signerName\":\"kubernetes.io/kube-apiserver-client\",\"usages\":[\"client auth\"],\"username\":\"kubernetes-admin\",\"groups\":[\"system:masters\",\"system:authenticated\"]},\"status\":{\"conditions\":[{\"type\":\"Denied\",\"status\":\"True\",\"reason\":\"KubectlDeny\",\"message\":\"This CSR was denied by kubectl certificate deny.\",\"lastUpdateTime\":\"2026-11-22T06:02:11Z\",\"lastTransitionTime\":null}]}}",
    protobuf: {
      "1.32": "azhzAAozChZjZXJ0aWZpY2F0ZXMuazhzLmlvL3YxEhlDZXJ0aWZpY2F0ZVNpZ25pbmdSZXF1ZXN0EoAGCs8BCghjc3JkLTEzMhIAGgAiACokOTJhZDkwZTktMTQ5Zi00Y2JkLWJjZWUtNmQ5OTk1N2QyNjIwMgIxNDgAQggI3oqK2AYQAIoBhQEKDmt1YmVjdGwtY3JlYXRlEgZVcGRhdGUaFmNlcnRpZmljYXRlcy5rOHMuaW8vdjEiCAjeiorYBhAAMghGaWVsZHNWMTo9Cjt7ImY6c3BlYyI6eyJmOnJlcXVlc3QiOnt9LCJmOnNpZ25lck5hbWUiOnt9LCJmOnVzYWdlcyI6e319fUIAEs4DCt8CLS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIS01ISUNBUUF3RURFT01Bd0dBMVVFQXd3RllXeHBZMlV3V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPUFFNQgpCd05DQUFUdlFtZHYwanhaUmJrckt3Q1QrT3pmMUhNQUFrTXE5WHZoMVRhSHlKNHYyMDVmQ0Fqam56NXpUWmd1CllRVXlqNlQzMXUzR1pqdkNkTmtheThjeFlZN01vQUF3Q2dZSUtvWkl6ajBFQXdJRFNBQXdSUUlnTW8yWkJlc0EKSjR5MVdnc2xGbmtiMEgzb3owRFV3OGhFZFhaOGZ6b1Q0R29DSVFDd1hjYmdyR2pPTjRGUm4rVitzNk1wUkhheApvVks2OWNuNExlZXJRZkhHaEE9PQotLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KEhBrdWJlcm5ldGVzLWFkbWluGgAiDnN5c3RlbTptYXN0ZXJzIhRzeXN0ZW06YXV0aGVudGljYXRlZCoLY2xpZW50IGF1dGg6I2t1YmVybmV0ZXMuaW8va3ViZS1hcGlzZXJ2ZXItY2xpZW50GlsKWQoGRGVuaWVkEgtLdWJlY3RsRGVueRowVGhpcyBDU1Igd2FzIGRlbmllZCBieSBrdWJlY3RsIGNlcnRpZmljYXRlIGRlbnkuIggI6IqK2AYQACoAMgRUcnVlGgAiAA==",
      "1.33": "azhzAAozChZjZXJ0aWZpY2F0ZXMuazhzLmlvL3YxEhlDZXJ0aWZpY2F0ZVNpZ25pbmdSZXF1ZXN0EoAGCs8BCghjc3JkLTEzMxIAGgAiACokOTEwYTIwZDktMGYwYi00MzIzLWFlN2QtMzc4YTkwMzg4ZDFjMgIxNjgAQggI34qK2AYQAIoBhQEKDmt1YmVjdGwtY3JlYXRlEgZVcGRhdGUaFmNlcnRpZmljYXRlcy5rOHMuaW8vdjEiCAjfiorYBhAAMghGaWVsZHNWMTo9Cjt7ImY6c3BlYyI6eyJmOnJlcXVlc3QiOnt9LCJmOnNpZ25lck5hbWUiOnt9LCJmOnVzYWdlcyI6e319fUIAEs4DCt8CLS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIS01ISUNBUUF3RURFT01Bd0dBMVVFQXd3RllXeHBZMlV3V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPUFFNQgpCd05DQUFUdlFtZHYwanhaUmJrckt3Q1QrT3pmMUhNQUFrTXE5WHZoMVRhSHlKNHYyMDVmQ0Fqam56NXpUWmd1CllRVXlqNlQzMXUzR1pqdkNkTmtheThjeFlZN01vQUF3Q2dZSUtvWkl6ajBFQXdJRFNBQXdSUUlnTW8yWkJlc0EKSjR5MVdnc2xGbmtiMEgzb3owRFV3OGhFZFhaOGZ6b1Q0R29DSVFDd1hjYmdyR2pPTjRGUm4rVitzNk1wUkhheApvVks2OWNuNExlZXJRZkhHaEE9PQotLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KEhBrdWJlcm5ldGVzLWFkbWluGgAiDnN5c3RlbTptYXN0ZXJzIhRzeXN0ZW06YXV0aGVudGljYXRlZCoLY2xpZW50IGF1dGg6I2t1YmVybmV0ZXMuaW8va3ViZS1hcGlzZXJ2ZXItY2xpZW50GlsKWQoGRGVuaWVkEgtLdWJlY3RsRGVueRowVGhpcyBDU1Igd2FzIGRlbmllZCBieSBrdWJlY3RsIGNlcnRpZmljYXRlIGRlbnkuIggI64qK2AYQACoAMgRUcnVlGgAiAA==",
    },
  },
  {
    name: "bad name",
    args: ["create", "configmap", "Bad_Name"],
    method: "POST",
    url: "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict",
    json: "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"Bad_Name\",\"creationTimestamp\":null}}",
    protobuf: {
      "1.32": "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEhoKGAoIQmFkX05hbWUSABoAIgAqADIAOABCABoAIgA=",
      "1.33": "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEhoKGAoIQmFkX05hbWUSABoAIgAqADIAOABCABoAIgA=",
    },
  },
];
