{{/*
All objects of one service: ServiceAccount, Deployment, Service, HorizontalPodAutoscaler or KEDA
ScaledObject, PodDisruptionBudget, NetworkPolicy, and its migrations Job.

  {{ include "safecity.service" (dict "root" $ "name" "recognition" "env" "safecity.recognition.env") }}

"env" (optional) names a template rendering the service's own env entries; it is called with
(dict "root" $ "name" … "svc" <the service's values>).
*/}}
{{- define "safecity.service" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := include "safecity.serviceValues" (dict "root" $root "name" $name) | fromYaml -}}
{{- if $svc.enabled -}}
{{- $ctx := dict "root" $root "name" $name "svc" $svc -}}
{{- $objectName := include "safecity.name" $ctx -}}
{{- $scaled := or ($svc.autoscaling | default dict).enabled ($svc.keda | default dict).enabled -}}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $objectName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" $ctx | nindent 4 }}
# The services call no Kubernetes API.
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $objectName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" $ctx | nindent 4 }}
  {{- with include "safecity.checkovSkips" $ctx }}
  annotations:
    {{- . | nindent 4 }}
  {{- end }}
spec:
  {{- if not $scaled }}
  replicas: {{ $svc.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "safecity.selectorLabels" $ctx | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # A new pod is ready before an old one leaves, so a consumer group never loses members faster
      # than it gains them.
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "safecity.labels" $ctx | nindent 8 }}
      annotations:
        prometheus.io/scrape: 'true'
        prometheus.io/port: {{ $svc.ports.http | quote }}
        prometheus.io/path: /metrics
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $objectName }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $svc.topologySpread }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "safecity.selectorLabels" $ctx | nindent 14 }}
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "safecity.selectorLabels" $ctx | nindent 14 }}
      {{- end }}
      containers:
        - name: {{ $name }}
          image: {{ include "safecity.image" $ctx | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $svc.ports.http }}
              protocol: TCP
            {{- if $svc.ports.grpc }}
            - name: grpc
              containerPort: {{ $svc.ports.grpc }}
              protocol: TCP
            {{- end }}
          env:
            {{- include "safecity.commonEnv" $ctx | nindent 12 }}
            {{- with .env }}
            {{- include . $ctx | nindent 12 }}
            {{- end }}
            {{- range $key := keys ($svc.env | default dict) | sortAlpha }}
            - name: {{ $key }}
              value: {{ index $svc.env $key | toString | quote }}
            {{- end }}
          startupProbe:
            {{- toYaml $svc.probes.startup | nindent 12 }}
          livenessProbe:
            {{- toYaml $svc.probes.liveness | nindent 12 }}
          readinessProbe:
            {{- toYaml $svc.probes.readiness | nindent 12 }}
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            {{- include "safecity.writableMounts" $ctx | trim | nindent 12 }}
      volumes:
        {{- include "safecity.writableVolumes" $ctx | trim | nindent 8 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $objectName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" $ctx | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "safecity.selectorLabels" $ctx | nindent 4 }}
  ports:
    - name: http
      port: {{ $svc.ports.http }}
      targetPort: http
      protocol: TCP
      appProtocol: http
    {{- if $svc.ports.grpc }}
    - name: grpc
      port: {{ $svc.ports.grpc }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
    {{- end }}
{{- if ($svc.keda | default dict).enabled }}
{{ include "safecity.scaledObject" $ctx }}
{{- else if ($svc.autoscaling | default dict).enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $objectName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" $ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $objectName }}
  minReplicas: {{ $svc.autoscaling.minReplicas }}
  maxReplicas: {{ $svc.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $svc.autoscaling.targetCPUUtilizationPercentage }}
  behavior:
    # Every change of membership rebalances the consumer group: scale down slowly.
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 120
{{- end }}
{{- if ($svc.pdb | default dict).enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $objectName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" $ctx | nindent 4 }}
spec:
  {{- if hasKey $svc.pdb "minAvailable" }}
  minAvailable: {{ $svc.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $svc.pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "safecity.selectorLabels" $ctx | nindent 6 }}
{{- end }}
{{- if $root.Values.networkPolicy.enabled }}
{{ include "safecity.networkPolicy" $ctx }}
{{- end }}
{{- if and $svc.migrations $svc.usesDatabase $root.Values.migrations.enabled }}
{{ include "safecity.migrationJob" $ctx }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* KEDA ScaledObject: consumer lag of the service's group on each topic it consumes, and CPU. */}}
{{- define "safecity.scaledObject" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $keda := $svc.keda -}}
{{- $autoscaling := $svc.autoscaling | default dict -}}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "safecity.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    name: {{ include "safecity.name" . }}
  minReplicaCount: {{ $keda.minReplicas | default $autoscaling.minReplicas | default $svc.replicas }}
  maxReplicaCount: {{ $keda.maxReplicas | default $autoscaling.maxReplicas | default $svc.replicas }}
  pollingInterval: {{ $keda.pollingInterval }}
  cooldownPeriod: {{ $keda.cooldownPeriod }}
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown:
          stabilizationWindowSeconds: 300
          policies:
            - type: Pods
              value: 1
              periodSeconds: 120
  triggers:
    {{- range $topic := $svc.consumes | default list }}
    - type: kafka
      metadata:
        bootstrapServers: {{ $root.Values.kafka.brokers | quote }}
        consumerGroup: {{ printf "safecity.%s" $.name | quote }}
        topic: {{ $topic | quote }}
        lagThreshold: {{ $keda.lagThreshold | quote }}
        activationLagThreshold: {{ $keda.activationLagThreshold | quote }}
        offsetResetPolicy: latest
        allowIdleConsumers: 'false'
    {{- end }}
    - type: cpu
      metricType: Utilization
      metadata:
        value: {{ $keda.cpuUtilization | quote }}
{{- end -}}

{{/*
NetworkPolicy of a service: ingress on its HTTP port from the ingress controller, Prometheus and
the chart's services that call its REST API; on its gRPC port from those that call it over gRPC.
Egress to DNS, Kafka, PostgreSQL, the collector, the OIDC provider and the services it calls, and,
for a service that reads cameras (readsCameras), to the camera networks.
*/}}
{{- define "safecity.networkPolicy" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := .svc -}}
{{- $np := $root.Values.networkPolicy -}}
{{- $grpcCallers := list -}}
{{- $httpCallers := list -}}
{{- range $other, $block := $root.Values.services -}}
{{- if and $block.enabled (has $name ($block.grpcClients | default list)) -}}
{{- $grpcCallers = append $grpcCallers $other -}}
{{- end -}}
{{- if and $block.enabled (has $name ($block.httpClients | default list)) -}}
{{- $httpCallers = append $httpCallers $other -}}
{{- end -}}
{{- end -}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "safecity.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "safecity.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- with concat ($np.httpFrom | default list) ($np.metricsFrom | default list) }}
    - from:
        {{- toYaml . | nindent 8 }}
      ports:
        - { protocol: TCP, port: http }
    {{- end }}
    {{- range $caller := $httpCallers }}
    - from:
        - podSelector:
            matchLabels:
              {{- include "safecity.selectorLabels" (dict "root" $root "name" $caller) | nindent 14 }}
      ports:
        - { protocol: TCP, port: http }
    {{- end }}
    {{- if $svc.ports.grpc }}
    {{- range $caller := $grpcCallers }}
    - from:
        - podSelector:
            matchLabels:
              {{- include "safecity.selectorLabels" (dict "root" $root "name" $caller) | nindent 14 }}
      ports:
        - { protocol: TCP, port: grpc }
    {{- end }}
    {{- end }}
    {{- with ($svc.networkPolicy | default dict).extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    - to:
        {{- toYaml $np.dns.to | nindent 8 }}
      ports:
        {{- toYaml $np.dns.ports | nindent 8 }}
    {{- if $svc.usesKafka }}
    - to:
        {{- toYaml $np.kafka.to | nindent 8 }}
      ports:
        {{- toYaml $np.kafka.ports | nindent 8 }}
    {{- end }}
    {{- if $svc.usesDatabase }}
    - to:
        {{- toYaml $np.postgres.to | nindent 8 }}
      ports:
        {{- toYaml $np.postgres.ports | nindent 8 }}
    {{- end }}
    - to:
        {{- toYaml $np.otelCollector.to | nindent 8 }}
      ports:
        {{- toYaml $np.otelCollector.ports | nindent 8 }}
    - to:
        {{- toYaml $np.oidc.to | nindent 8 }}
      ports:
        {{- toYaml $np.oidc.ports | nindent 8 }}
    {{- range $target := $svc.grpcClients | default list }}
    {{- $targetBlock := index $root.Values.services $target }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "safecity.selectorLabels" (dict "root" $root "name" $target) | nindent 14 }}
      ports:
        - { protocol: TCP, port: {{ $targetBlock.ports.grpc }} }
    {{- end }}
    {{- range $target := $svc.httpClients | default list }}
    {{- $targetBlock := index $root.Values.services $target }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "safecity.selectorLabels" (dict "root" $root "name" $target) | nindent 14 }}
      ports:
        - { protocol: TCP, port: {{ $targetBlock.ports.http }} }
    {{- end }}
    {{- if $svc.readsCameras }}
    {{- /* Cameras are outside the cluster: their networks and ports are networkPolicy.cameras. */}}
    {{- range $network := $np.cameras | default list }}
    - to:
        {{- toYaml $network.to | nindent 8 }}
      ports:
        {{- toYaml $network.ports | nindent 8 }}
    {{- end }}
    {{- end }}
    {{- with ($svc.networkPolicy | default dict).extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* The service's migrations, before the release's objects are created or changed. */}}
{{- define "safecity.migrationJob" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $m := $root.Values.migrations -}}
{{- $db := $svc.database | default dict -}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ printf "%s-migrate" (include "safecity.name" .) | trunc 63 | trimSuffix "-" }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "safecity.labels" (dict "root" $root "name" (printf "%s-migrations" .name)) | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: '0'
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
    {{- with include "safecity.checkovSkips" . }}
    {{- . | nindent 4 }}
    {{- end }}
spec:
  backoffLimit: {{ $m.backoffLimit }}
  activeDeadlineSeconds: {{ $m.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "safecity.labels" (dict "root" $root "name" (printf "%s-migrations" .name)) | nindent 8 }}
        safecity.kz/job: migrations
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: migrate
          image: {{ include "safecity.image" . | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: [node, -r, '@swc-node/register', tools/migrate.ts, {{ .name | quote }}]
          env:
            {{- include "safecity.databaseUrlEnv" (dict "secret" ($m.existingSecret | default $db.existingSecret | default $root.Values.database.existingSecret) "key" ($m.urlKey | default $db.urlKey | default $root.Values.database.urlKey)) | nindent 12 }}
            - name: LOG_LEVEL
              value: {{ $root.Values.logLevel | quote }}
          resources:
            {{- toYaml $m.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
{{- end -}}
