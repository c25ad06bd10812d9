{{- define "shop.image" -}}
{{ printf "%s:%v" .image.repository (.image.tag | default .chart.AppVersion) }}
{{- end -}}
