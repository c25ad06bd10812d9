/**
 * From an image's registry (`docker.io`, `ghcr.io`, `localhost:5000`) to the URL its distribution API answers
 * at, and the plain-HTTP policy: HTTPS always, except for hosts the user listed in `registry.insecure`.
 */

/** Docker Hub as image references name it, the host its API answers at, and the key `docker login` stores it under. */
export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

/** Where one registry's API lives. */
export interface Endpoint {
  /** The registry as the image names it (`docker.io`); credentials are looked up by it. */
  domain: string;
  /** `scheme://host[:port]` of the API (`https://registry-1.docker.io`), no trailing slash. */
  base: string;
  /** `host[:port]` of the API, lowercase. */
  host: string;
}

export function isDockerHub(domain: string): boolean {
  const d = domain.toLowerCase();
  return d === DOCKER_HUB || d === 'index.docker.io' || d === DOCKER_HUB_API;
}

/** `host[:port]` of a `registry.insecure` entry, tolerating a scheme or a trailing slash written by habit. */
export function normalizeHost(entry: string): string {
  return entry.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/.*$/, '');
}

/** True when `host` (`host[:port]`) may be spoken to over plain HTTP. */
export function allowsHttp(host: string, insecure: readonly string[]): boolean {
  const h = normalizeHost(host);
  return insecure.some((entry) => normalizeHost(entry) === h);
}

/** The API endpoint of a registry: HTTPS, or HTTP when the host is listed as insecure. */
export function endpointOf(domain: string, insecure: readonly string[]): Endpoint {
  const host = isDockerHub(domain) ? DOCKER_HUB_API : domain.toLowerCase();
  const http = allowsHttp(host, insecure) || allowsHttp(domain, insecure);
  return { domain: isDockerHub(domain) ? DOCKER_HUB : domain.toLowerCase(), base: `${http ? 'http' : 'https'}://${host}`, host };
}

/**
 * Whether a URL may be requested at all: HTTPS anywhere, HTTP only to a listed host. Returns the refusal
 * sentence, or null when allowed.
 */
export function transportRefusal(url: URL, insecure: readonly string[]): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    if (allowsHttp(url.host, insecure)) return null;
    return `${url.host} would be contacted over plain HTTP, which is allowed only for hosts listed in registry.insecure; add "${url.host}" there if it is a local registry.`;
  }
  return `${url.protocol.replace(/:$/, '')} URLs are not supported (${url.host}); registries are contacted over HTTPS.`;
}
