{{/*
A web front end of the tenant (vote or result): Deployment, NodePort Service and NetworkPolicy.
Takes a dict: tenant, name, values (the component's), nodePort, env (a list, optional).
*/}}
{{- define "voting-app.webFrontEnd" -}}
{{- $c := dict "name" .name "component" "frontend" "instance" .tenant.namespace -}}
apiVersion: apps/v1
kind: Deployment
{{ include "voting-app.metadata" $c }}
spec:
  replicas: {{ .values.replicas }}
  selector:
    matchLabels:
      {{- include "voting-app.selectorLabels" $c | nindent 6 }}
  {{- include "voting-app.rollingUpdate" .tenant | nindent 2 }}
  template:
    metadata:
      labels:
        {{- include "voting-app.labels" $c | nindent 8 }}
    spec:
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: {{ .tenant.Values.rollout.terminationGracePeriodSeconds }}
      securityContext:
        seccompProfile:
          type: RuntimeDefault
        # The images listen on port 80 as a non-root user.
        sysctls:
          - name: net.ipv4.ip_unprivileged_port_start
            value: "80"
      containers:
        - name: {{ .name }}
          image: {{ .values.image }}
          imagePullPolicy: {{ .tenant.Values.imagePullPolicy }}
          {{- with .env }}
          env:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: http
              containerPort: 80
              protocol: TCP
          readinessProbe:
            httpGet:
              path: /
              port: http
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 3
          livenessProbe:
            httpGet:
              path: /
              port: http
            initialDelaySeconds: 10
            periodSeconds: 20
            timeoutSeconds: 5
            failureThreshold: 6
          {{- include "voting-app.drain" .tenant | nindent 10 }}
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          {{- include "voting-app.containerSecurityContext" . | nindent 10 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
---
{{ include "voting-app.service" (merge (dict "portName" "http" "port" .values.servicePort "targetPort" 80 "nodePort" .nodePort) $c) }}
{{- if .tenant.Values.networkPolicies }}
---
{{ include "voting-app.networkPolicy" (merge (dict "port" 80) $c) }}
{{- end }}
{{- end }}

{{/* The tenant's vote page, on the first of its two node ports. Takes the tenant. */}}
{{- define "voting-app.vote" -}}
{{- $env := list (dict "name" "XDG_RUNTIME_DIR" "value" "/tmp") -}}
{{- include "voting-app.webFrontEnd" (dict "tenant" . "name" "vote" "values" .Values.vote "nodePort" (add .Values.firstNodePort (mul 2 .index)) "env" $env) }}
{{- end }}

{{/* The tenant's results page, on the second of its two node ports. Takes the tenant. */}}
{{- define "voting-app.result" -}}
{{- include "voting-app.webFrontEnd" (dict "tenant" . "name" "result" "values" .Values.result "nodePort" (add .Values.firstNodePort (mul 2 .index) 1)) }}
{{- end }}
