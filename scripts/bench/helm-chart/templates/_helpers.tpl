{{/*
The namespace of the tenant at index . (from 0) of the root context: <prefix>-001, -002, ...
zero-padded to three digits, or to the digits of the tenant count when it has more.
*/}}
{{- define "voting-app.namespace" -}}
{{- $root := index . 0 -}}
{{- $width := max 3 (len (toString $root.Values.tenants)) -}}
{{- printf "%s-%0*d" $root.Values.namespacePrefix (int $width) (add1 (index . 1)) -}}
{{- end }}

{{/*
Labels that select a component's pods. Takes a dict: name, instance (the tenant's namespace).
*/}}
{{- define "voting-app.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .instance }}
{{- end }}

{{/*
Every object's labels. Takes a dict: name, component, instance.
managed-by says cdk8s, not Helm: the bench compares these objects with our fleet's, labels included.
*/}}
{{- define "voting-app.labels" -}}
{{ include "voting-app.selectorLabels" . }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: voting-app
app.kubernetes.io/managed-by: cdk8s
{{- end }}

{{/*
metadata of a component's object. Takes a dict: name (the object's), app (the component's name,
when it differs), component, instance.
*/}}
{{- define "voting-app.metadata" -}}
metadata:
  name: {{ .name }}
  namespace: {{ .instance }}
  labels:
    {{- include "voting-app.labels" (dict "name" (.app | default .name) "component" .component "instance" .instance) | nindent 4 }}
{{- end }}

{{/*
The security context of every container: no privileges, a read-only root filesystem.
*/}}
{{- define "voting-app.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  privileged: false
  readOnlyRootFilesystem: true
  capabilities:
    drop:
      - ALL
{{- end }}

{{/*
A component's Service. Takes a dict: name, component, instance, portName, port, targetPort,
nodePort (optional: a NodePort Service when given, ClusterIP otherwise).
*/}}
{{- define "voting-app.service" -}}
apiVersion: v1
kind: Service
{{ include "voting-app.metadata" . }}
spec:
  type: {{ if .nodePort }}NodePort{{ else }}ClusterIP{{ end }}
  selector:
    {{- include "voting-app.selectorLabels" . | nindent 4 }}
  ports:
    - name: {{ .portName }}
      port: {{ .port }}
      targetPort: {{ .targetPort }}
      protocol: TCP
      {{- with .nodePort }}
      nodePort: {{ . }}
      {{- end }}
{{- end }}

{{/*
A component's ingress NetworkPolicy: no ingress but from the components in from (a list of
names; any pod when empty) to port (none at all when not given). Takes a dict: name, component,
instance, from, port.
*/}}
{{- define "voting-app.networkPolicy" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
{{ include "voting-app.metadata" (dict "name" (printf "%s-ingress" .name) "app" .name "component" .component "instance" .instance) }}
spec:
  podSelector:
    matchLabels:
      {{- include "voting-app.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  {{- if .port }}
  ingress:
    - ports:
        - port: {{ .port }}
          protocol: TCP
      {{- with .from }}
      from:
        {{- range . }}
        - podSelector:
            matchLabels:
              {{- include "voting-app.selectorLabels" (dict "name" . "instance" $.instance) | nindent 14 }}
        {{- end }}
      {{- end }}
  {{- end }}
{{- end }}

{{/*
The rolling-update strategy of a Deployment that rolls. Takes the root context.
*/}}
{{- define "voting-app.rollingUpdate" -}}
strategy:
  type: RollingUpdate
  rollingUpdate:
    maxSurge: {{ .Values.rollout.maxSurge | quote }}
    maxUnavailable: {{ .Values.rollout.maxUnavailable }}
{{- end }}

{{/*
The drain pause of a serving container. Takes the root context.
*/}}
{{- define "voting-app.drain" -}}
lifecycle:
  preStop:
    exec:
      command:
        - sleep
        - {{ .Values.rollout.drainSeconds | quote }}
{{- end }}
