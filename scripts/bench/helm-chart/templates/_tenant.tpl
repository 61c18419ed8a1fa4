{{/*
A tenant's Namespace and the Secret with its database credentials. Takes the tenant: Values,
namespace, index.
*/}}
{{- define "voting-app.tenant" -}}
apiVersion: v1
kind: Namespace
metadata:
  name: {{ .namespace }}
  labels:
    {{- include "voting-app.labels" (dict "name" .namespace "component" "namespace" "instance" .namespace) | nindent 4 }}
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: v1
kind: Secret
type: Opaque
{{ include "voting-app.metadata" (dict "name" "db-credentials" "component" "credentials" "instance" .namespace) }}
data:
  username: {{ .Values.credentials.username | b64enc }}
  password: {{ .Values.credentials.password | b64enc }}
{{- end }}
