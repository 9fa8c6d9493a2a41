{{/*
Shared templates. A service's own template file (camera-registry.yaml, …) calls
"safecity.service" with its name and, where it reads settings of its own from Secrets, the name of
a template that renders those env entries. Everything else comes from its block in values.yaml.
*/}}

{{- define "safecity.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Kubernetes name of a service's objects: (dict "root" $ "name" "recognition"). */}}
{{- define "safecity.name" -}}
{{- printf "%s-%s" (include "safecity.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "safecity.selectorLabels" -}}
app.kubernetes.io/name: safecity
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "safecity.labels" -}}
{{ include "safecity.selectorLabels" . }}
app.kubernetes.io/part-of: safecity
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
A service's values: serviceDefaults overlaid with its block. Rendered as YAML; read back with
fromYaml. Fails on a service that has no block.
*/}}
{{- define "safecity.serviceValues" -}}
{{- $block := index .root.Values.services .name | default dict -}}
{{- if not $block -}}
{{- fail (printf "services.%s: no such service block in values" .name) -}}
{{- end -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $block)) -}}
{{- end -}}

{{/* <REGISTRY>/<prefix><service>:<tag>, or @<digest> when the block pins one. */}}
{{- define "safecity.image" -}}
{{- $image := .svc.image | default dict -}}
{{- $repository := $image.repository | default (printf "%s%s" .root.Values.image.repositoryPrefix .name) -}}
{{- if .root.Values.image.registry -}}
{{- $repository = printf "%s/%s" .root.Values.image.registry $repository -}}
{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (toString ($image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion)) -}}
{{- end -}}
{{- end -}}

{{/* ENV_NAME of a service name: camera-registry → CAMERA_REGISTRY. */}}
{{- define "safecity.envPrefix" -}}
{{- . | upper | replace "-" "_" -}}
{{- end -}}

{{/* host:port of another service's gRPC server: (dict "root" $ "name" "camera-registry"). */}}
{{- define "safecity.grpcAddress" -}}
{{- $target := index .root.Values.services .name | default dict -}}
{{- if not $target.enabled -}}
{{- fail (printf "a service calls %s over gRPC, but services.%s is not enabled" .name .name) -}}
{{- end -}}
{{- if not ($target.ports | default dict).grpc -}}
{{- fail (printf "a service calls %s over gRPC, but services.%s.ports.grpc is not set" .name .name) -}}
{{- end -}}
{{- printf "%s:%v" (include "safecity.name" .) $target.ports.grpc -}}
{{- end -}}

{{/* http://host:port of another service's REST API: (dict "root" $ "name" "incidents"). */}}
{{- define "safecity.httpUrl" -}}
{{- $target := index .root.Values.services .name | default dict -}}
{{- if not $target.enabled -}}
{{- fail (printf "a service calls %s over HTTP, but services.%s is not enabled" .name .name) -}}
{{- end -}}
{{- printf "http://%s:%v" (include "safecity.name" .) $target.ports.http -}}
{{- end -}}

{{/* DATABASE_URL from a Secret: (dict "secret" name "key" key). */}}
{{- define "safecity.databaseUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "database.existingSecret is required" .secret }}
      key: {{ required "database.urlKey is required" .key }}
{{- end -}}

{{/* The environment every service's config class (libs/service-kit ServiceConfig) reads. */}}
{{- define "safecity.commonEnv" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- /*
serviceIdentity (default true): the service calls others with a token of its own (client
credentials). The console has none: it signs people in and calls with their tokens.
*/}}
{{- $serviceIdentity := hasKey $svc "serviceIdentity" | ternary $svc.serviceIdentity true -}}
- name: HTTP_HOST
  value: 0.0.0.0
- name: HTTP_PORT
  value: {{ $svc.ports.http | quote }}
{{- if $svc.ports.grpc }}
- name: GRPC_URL
  value: {{ printf "0.0.0.0:%v" $svc.ports.grpc | quote }}
{{- end }}
{{- if $svc.usesDatabase }}
{{- $db := $svc.database | default dict }}
{{ include "safecity.databaseUrlEnv" (dict "secret" ($db.existingSecret | default $root.Values.database.existingSecret) "key" ($db.urlKey | default $root.Values.database.urlKey)) }}
- name: RUN_MIGRATIONS
  value: {{ and $svc.migrations (not $root.Values.migrations.enabled) | ternary "true" "false" | quote }}
{{- end }}
{{- if $svc.usesKafka }}
- name: KAFKA_BROKERS
  value: {{ required "kafka.brokers is required" $root.Values.kafka.brokers | quote }}
{{- end }}
{{- range $client := $svc.grpcClients | default list }}
- name: {{ include "safecity.envPrefix" $client }}_GRPC_URL
  value: {{ include "safecity.grpcAddress" (dict "root" $root "name" $client) | quote }}
{{- end }}
{{- with $root.Values.logLevel }}
- name: LOG_LEVEL
  value: {{ . | quote }}
{{- end }}
{{- if $serviceIdentity }}
- name: IDENTITY
  value: oidc
{{- end }}
- name: OIDC_ISSUER
  value: {{ required "oidc.issuer is required" $root.Values.oidc.issuer | quote }}
- name: OIDC_AUDIENCE
  value: {{ $root.Values.oidc.audience | quote }}
- name: OIDC_JWKS_URL
  value: {{ required "oidc.jwksUrl is required" $root.Values.oidc.jwksUrl | quote }}
{{- if $serviceIdentity }}
{{- with $root.Values.oidc.tokenUrl }}
- name: OIDC_TOKEN_URL
  value: {{ . | quote }}
{{- end }}
{{- /* A service block may name a client of its own (services.<name>.oidc.existingSecret). */}}
{{- $client := $svc.oidc | default dict }}
{{- with $client.existingSecret | default $root.Values.oidc.existingSecret }}
- name: OIDC_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $client.clientIdKey | default $root.Values.oidc.clientIdKey }}
- name: OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $client.clientSecretKey | default $root.Values.oidc.clientSecretKey }}
{{- end }}
{{- end }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- with $root.Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: OTEL_SERVICE_NAME
  value: {{ .name | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: k8s.namespace.name=$(POD_NAMESPACE),k8s.pod.name=$(POD_NAME),service.instance.id=$(POD_NAME)
{{- end -}}

{{/*
MEDIA_CREDENTIALS_KEY from the Secret in mediaCredentialsKey: camera-registry seals cameras'
media credentials with it and video-analytics opens them, so both read the same one.
*/}}
{{- define "safecity.mediaCredentialsKeyEnv" -}}
{{- $key := .root.Values.mediaCredentialsKey | default dict -}}
- name: MEDIA_CREDENTIALS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "mediaCredentialsKey.existingSecret is required (camera-registry and video-analytics refuse to start without the key)" $key.existingSecret }}
      key: {{ $key.key | default "MEDIA_CREDENTIALS_KEY" }}
{{- end -}}

{{/* Volumes of a service's writable directories (emptyDir, or an existing claim). */}}
{{- define "safecity.writableVolumes" -}}
{{- range $name, $dir := .svc.writableDirs | default dict }}
- name: {{ $name }}
{{- if $dir.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ $dir.existingClaim }}
{{- else }}
  emptyDir:
    sizeLimit: {{ $dir.sizeLimit | default "256Mi" }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "safecity.writableMounts" -}}
{{- range $name, $dir := .svc.writableDirs | default dict }}
- name: {{ $name }}
  mountPath: {{ $dir.mountPath }}
{{- end }}
{{- end -}}

{{/*
The topic plan (tools/kafka-topics.ts apply): every topic of files/topics.json with partitions,
replicas and settings from .Values.topics. The contract's own settings win over the values'.
*/}}
{{- define "safecity.topicPlan" -}}
{{- $values := .Values.topics -}}
{{- $table := .Files.Get "files/topics.json" | fromJson -}}
{{- $planned := list -}}
{{- range $topic := $table.topics -}}
{{- $stream := index ($values.streams | default dict) $topic.stream | default dict -}}
{{- $partitions := $stream.partitions | default $values.partitions -}}
{{- $config := deepCopy ($values.config | default dict) -}}
{{- if eq $topic.role "retry" -}}
{{- $config = mergeOverwrite $config (deepCopy ($values.retry.config | default dict)) (deepCopy ($stream.retryConfig | default dict)) -}}
{{- else if eq $topic.role "dlq" -}}
{{- $partitions = $stream.dlqPartitions | default $values.dlq.partitions | default $partitions -}}
{{- $config = mergeOverwrite $config (deepCopy ($values.dlq.config | default dict)) (deepCopy ($stream.dlqConfig | default dict)) -}}
{{- else -}}
{{- $config = mergeOverwrite $config (deepCopy ($stream.config | default dict)) -}}
{{- end -}}
{{- $config = mergeOverwrite $config (deepCopy $topic.config) -}}
{{- $stringConfig := dict -}}
{{- range $key, $value := $config -}}
{{- $_ := set $stringConfig $key (toString $value) -}}
{{- end -}}
{{- $planned = append $planned (dict "name" $topic.name "partitions" (int $partitions) "replicationFactor" (int $values.replicationFactor) "config" $stringConfig) -}}
{{- end -}}
{{- dict "topics" $planned | toJson -}}
{{- end -}}

{{/*
checkov skip annotations of a workload, each with its reason: (dict "root" $ "name" … "svc" …
"secretsInEnv" bool, default true). Only checks the rendering fails get one.
*/}}
{{- define "safecity.checkovSkips" -}}
{{- $skips := list -}}
{{- if not (.svc.image | default dict).digest -}}
{{- $skips = append $skips (printf "CKV_K8S_43=The image is pinned by tag (image.tag or the chart's appVersion); set services.%s.image.digest to pin it by digest." .name) -}}
{{- end -}}
{{- if ne .root.Values.image.pullPolicy "Always" -}}
{{- $skips = append $skips (printf "CKV_K8S_15=Release tags are never reused, so IfNotPresent starts the same image as Always without a registry round trip, and pods still restart while the registry is down; set image.pullPolicy to Always otherwise.") -}}
{{- end -}}
{{- if (hasKey . "secretsInEnv" | ternary .secretsInEnv true) -}}
{{- $skips = append $skips "CKV_K8S_35=The services read DATABASE_URL, OIDC_CLIENT_SECRET, CONSOLE_OIDC_CLIENT_SECRET, FACE_TEMPLATE_KEY and MEDIA_CREDENTIALS_KEY from environment variables only (their config classes, libs/service-kit); they have no setting that reads a file." -}}
{{- end -}}
{{- range $i, $skip := $skips }}
checkov.io/skip{{ add1 $i }}: {{ $skip | quote }}
{{- end -}}
{{- end -}}
