{{/*
The tenant's worker, which moves votes from redis to postgres: a Deployment and a NetworkPolicy
that admits nothing (it serves no one). Takes the tenant.
*/}}
{{- define "voting-app.worker" -}}
{{- $c := dict "name" "worker" "component" "worker" "instance" .namespace -}}
apiVersion: apps/v1
kind: Deployment
{{ include "voting-app.metadata" $c }}
spec:
  replicas: {{ .Values.worker.replicas }}
  selector:
    matchLabels:
      {{- include "voting-app.selectorLabels" $c | nindent 6 }}
  {{- include "voting-app.rollingUpdate" . | nindent 2 }}
  template:
    metadata:
      labels:
        {{- include "voting-app.labels" $c | nindent 8 }}
    spec:
      automountServiceAccountToken: false
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: worker
          image: {{ .Values.worker.image }}
          imagePullPolicy: {{ .Values.imagePullPolicy }}
          resources:
            {{- toYaml .Values.worker.resources | nindent 12 }}
          {{- include "voting-app.containerSecurityContext" . | nindent 10 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- if .Values.networkPolicies }}
---
{{ include "voting-app.networkPolicy" $c }}
{{- end }}
{{- end }}
