{{/*
The tenant's redis, the vote queue: Deployment, Service and NetworkPolicy. Takes the tenant.
*/}}
{{- define "voting-app.redis" -}}
{{- $c := dict "name" "redis" "component" "queue" "instance" .namespace -}}
apiVersion: apps/v1
kind: Deployment
{{ include "voting-app.metadata" $c }}
spec:
  replicas: {{ .Values.redis.replicas }}
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
      terminationGracePeriodSeconds: {{ .Values.rollout.terminationGracePeriodSeconds }}
      securityContext:
        runAsUser: 999
        runAsGroup: 1000
        fsGroup: 1000
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: redis
          image: {{ .Values.redis.image }}
          imagePullPolicy: {{ .Values.imagePullPolicy }}
          ports:
            - name: redis
              containerPort: 6379
              protocol: TCP
          readinessProbe:
            exec:
              command:
                - sh
                - "-c"
                - redis-cli ping | grep -q PONG
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 3
          livenessProbe:
            tcpSocket:
              port: redis
            initialDelaySeconds: 5
            periodSeconds: 10
            timeoutSeconds: 1
            failureThreshold: 6
          {{- include "voting-app.drain" . | nindent 10 }}
          resources:
            {{- toYaml .Values.redis.resources | nindent 12 }}
          {{- include "voting-app.containerSecurityContext" . | nindent 10 }}
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          emptyDir:
            sizeLimit: 256Mi
---
{{ include "voting-app.service" (merge (dict "portName" "redis" "port" 6379 "targetPort" 6379) $c) }}
{{- if .Values.networkPolicies }}
---
{{ include "voting-app.networkPolicy" (merge (dict "from" (list "vote" "worker") "port" 6379) $c) }}
{{- end }}
{{- end }}
