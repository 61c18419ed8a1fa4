{{/*
The tenant's postgres: Deployment, Service and NetworkPolicy. Takes the tenant.
*/}}
{{- define "voting-app.db" -}}
{{- $c := dict "name" "db" "component" "database" "instance" .namespace -}}
apiVersion: apps/v1
kind: Deployment
{{ include "voting-app.metadata" $c }}
spec:
  replicas: {{ .Values.db.replicas }}
  # One pod at a time on the data.
  strategy:
    type: Recreate
  selector:
    matchLabels:
      {{- include "voting-app.selectorLabels" $c | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "voting-app.labels" $c | nindent 8 }}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsUser: 70
        runAsGroup: 70
        fsGroup: 70
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: db
          image: {{ .Values.db.image }}
          imagePullPolicy: {{ .Values.imagePullPolicy }}
          env:
            - name: PGDATA
              value: /var/lib/postgresql/data/pgdata
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: password
            - name: POSTGRES_USER
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: username
          ports:
            - name: postgres
              containerPort: 5432
              protocol: TCP
          startupProbe:
            exec:
              command: {{ include "voting-app.pgIsReady" . }}
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 60
          readinessProbe:
            exec:
              command: {{ include "voting-app.pgIsReady" . }}
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          livenessProbe:
            tcpSocket:
              port: postgres
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 6
          resources:
            {{- toYaml .Values.db.resources | nindent 12 }}
          {{- include "voting-app.containerSecurityContext" . | nindent 10 }}
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
            - name: run
              mountPath: /var/run/postgresql
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: data
          emptyDir: {}
        - name: run
          emptyDir:
            sizeLimit: 16Mi
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
---
{{ include "voting-app.service" (merge (dict "portName" "postgres" "port" 5432 "targetPort" 5432) $c) }}
{{- if .Values.networkPolicies }}
---
{{ include "voting-app.networkPolicy" (merge (dict "from" (list "worker" "result") "port" 5432) $c) }}
{{- end }}
{{- end }}

{{/* The command that asks postgres whether it takes connections, as a flow sequence. */}}
{{- define "voting-app.pgIsReady" -}}
[pg_isready, "-h", 127.0.0.1, "-p", "5432"]
{{- end }}
