import L from 'leaflet';
import { useEffect, useRef } from 'react';

export interface MapLayers {
  /** Region and district outlines. */
  outlines?: GeoJSON.FeatureCollection;
  /** Points: cameras and incidents, styled by their properties. */
  points?: GeoJSON.FeatureCollection;
  /** A plate's trajectory across cameras, in time order. */
  trajectory?: [number, number][];
}

const PRIORITY_COLOUR: Record<string, string> = {
  critical: '#ff4d4f',
  high: '#ff9f1a',
  medium: '#ffd666',
  low: '#8cc8ff',
};
const CAMERA_COLOUR: Record<string, string> = { online: '#52c41a', offline: '#ff4d4f', unknown: '#8c8c8c' };

/**
 * Leaflet drawing GeoJSON on a plain background, so no tile server is needed; a deployment that
 * has one sets its URL and it is drawn underneath. Points are circle markers on a canvas, which
 * keeps hundreds of cameras and a thousand incidents cheap.
 */
export function LeafletMap(props: {
  layers: MapLayers;
  tileUrl: string | null;
  tileAttribution: string | null;
  center?: [number, number] | null;
  label: string;
  onSelect?(kind: string, id: string): void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const groups = useRef<{ outlines: L.GeoJSON; points: L.GeoJSON; trajectory: L.Polyline } | null>(null);
  const onSelect = useRef(props.onSelect);
  onSelect.current = props.onSelect;

  useEffect(() => {
    const created = L.map(element.current!, {
      preferCanvas: true,
      zoomControl: true,
      attributionControl: Boolean(props.tileUrl),
    });
    created.setView([48.0, 67.0], 5);
    if (props.tileUrl)
      L.tileLayer(props.tileUrl, { attribution: props.tileAttribution ?? '' }).addTo(created);
    const outlines = L.geoJSON(undefined, {
      style: (feature) => ({
        color: feature?.properties?.kind === 'district' ? '#5c7a99' : '#8cc8ff',
        weight: feature?.properties?.kind === 'district' ? 1 : 2,
        dashArray: feature?.properties?.kind === 'district' ? '4 4' : undefined,
        fill: false,
      }),
      onEachFeature: (feature, layer) => layer.bindTooltip(String(feature.properties?.name ?? '')),
    }).addTo(created);
    const points = L.geoJSON(undefined, {
      pointToLayer: (feature, latlng) => {
        const p = feature.properties ?? {};
        const incident = p.kind === 'incident';
        return L.circleMarker(latlng, {
          radius: incident ? 8 : 4,
          color: incident ? '#101820' : (CAMERA_COLOUR[p.status] ?? '#8c8c8c'),
          weight: incident ? 2 : 1,
          fillColor: incident
            ? (PRIORITY_COLOUR[p.priority] ?? '#ffd666')
            : (CAMERA_COLOUR[p.status] ?? '#8c8c8c'),
          fillOpacity: incident ? 0.95 : 0.8,
        });
      },
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(String(feature.properties?.label ?? ''));
        layer.on('click', () => onSelect.current?.(feature.properties?.kind, feature.properties?.id));
      },
    }).addTo(created);
    const trajectory = L.polyline([], { color: '#ff9f1a', weight: 3, dashArray: '6 6' }).addTo(created);
    groups.current = { outlines, points, trajectory };
    map.current = created;
    return () => {
      created.remove();
      map.current = null;
    };
  }, [props.tileUrl, props.tileAttribution]);

  const fitted = useRef(false);
  useEffect(() => {
    const g = groups.current;
    if (!g) return;
    g.outlines.clearLayers();
    if (props.layers.outlines) g.outlines.addData(props.layers.outlines);
    // The user's regions fill the view at first, unless something was selected to centre on.
    if (!fitted.current && !props.center && props.layers.outlines?.features.length) {
      fitted.current = true;
      map.current?.fitBounds(g.outlines.getBounds(), { padding: [20, 20] });
    }
  }, [props.layers.outlines]);

  useEffect(() => {
    const g = groups.current;
    if (!g) return;
    g.points.clearLayers();
    if (props.layers.points) g.points.addData(props.layers.points);
  }, [props.layers.points]);

  useEffect(() => {
    const g = groups.current;
    if (!g) return;
    g.trajectory.setLatLngs(props.layers.trajectory ?? []);
    if (props.layers.trajectory && props.layers.trajectory.length > 1)
      map.current?.fitBounds(g.trajectory.getBounds(), { padding: [40, 40] });
  }, [props.layers.trajectory]);

  useEffect(() => {
    if (props.center) map.current?.setView(props.center, Math.max(map.current.getZoom(), 14));
  }, [props.center]);

  return <div ref={element} className="map" role="region" aria-label={props.label} data-testid="map" />;
}

export function bboxFeature(
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number },
  properties: Record<string, unknown>,
): GeoJSON.Feature {
  const { minLon, minLat, maxLon, maxLat } = bbox;
  return {
    type: 'Feature',
    properties,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [minLon, minLat],
          [maxLon, minLat],
          [maxLon, maxLat],
          [minLon, maxLat],
          [minLon, minLat],
        ],
      ],
    },
  };
}

export function pointFeature(lon: number, lat: number, properties: Record<string, unknown>): GeoJSON.Feature {
  return { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } };
}
