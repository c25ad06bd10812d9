/**
 * Deterministic images pushed over plain HTTP, as `docker push` would but without docker: blobs by upload
 * (POST then PUT with the digest), manifests by PUT. The same bytes give the same digests on every run; each
 * push checks that the registry's `Docker-Content-Digest` is the sha256 of the bytes sent.
 */
import { createHash } from 'node:crypto';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

export const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface Pushed {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export type Platform = { os: string; architecture: string };

export class Pusher {
  constructor(private readonly origin: string) {}

  async blob(repo: string, bytes: Buffer): Promise<string> {
    const digest = sha256(bytes);
    const start = await fetch(`${this.origin}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    await start.arrayBuffer();
    if (start.status !== 202) throw new Error(`blob upload to ${repo}: HTTP ${start.status}`);
    const location = new URL(start.headers.get('location')!, this.origin);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
    await put.arrayBuffer();
    if (put.status !== 201) throw new Error(`blob PUT to ${repo}: HTTP ${put.status}`);
    return digest;
  }

  async manifest(repo: string, reference: string, mediaType: string, bytes: Buffer): Promise<Pushed> {
    const res = await fetch(`${this.origin}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: { 'Content-Type': mediaType } });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`manifest PUT ${repo}:${reference}: HTTP ${res.status} ${text}`);
    const digest = sha256(bytes);
    if (res.headers.get('docker-content-digest') !== digest) throw new Error(`registry digest ${res.headers.get('docker-content-digest')} != ${digest}`);
    return { digest, mediaType, bytes };
  }

  /** A single-platform image (`docker`: schema 2 media types, else OCI), tagged `tags` (the first by PUT, the rest too). */
  async image(repo: string, tags: string[], seed: string, platform: Platform = { os: 'linux', architecture: 'amd64' }, docker = false): Promise<Pushed> {
    const layer = Buffer.from(`k8s-image-lint test layer ${seed}\n`);
    const config = json({ architecture: platform.architecture, os: platform.os, rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: { Labels: { seed } } });
    const layerDigest = await this.blob(repo, layer);
    const configDigest = await this.blob(repo, config);
    const bytes = json({
      schemaVersion: 2,
      mediaType: docker ? DOCKER_MANIFEST : OCI_MANIFEST,
      config: { mediaType: docker ? DOCKER_CONFIG : OCI_CONFIG, digest: configDigest, size: config.length },
      layers: [{ mediaType: docker ? DOCKER_LAYER : OCI_LAYER, digest: layerDigest, size: layer.length }],
    });
    const mediaType = docker ? DOCKER_MANIFEST : OCI_MANIFEST;
    let pushed = await this.manifest(repo, sha256(bytes), mediaType, bytes);
    for (const tag of tags) pushed = await this.manifest(repo, tag, mediaType, bytes);
    return pushed;
  }

  /** A multi-platform image: an OCI index (or a Docker manifest list) over one image per platform. */
  async multiArch(repo: string, tags: string[], seed: string, platforms: Platform[], docker = false): Promise<{ index: Pushed; children: Pushed[] }> {
    const children: Pushed[] = [];
    for (const p of platforms) children.push(await this.image(repo, [], `${seed}/${p.os}/${p.architecture}`, p, docker));
    const mediaType = docker ? DOCKER_LIST : OCI_INDEX;
    const bytes = json({
      schemaVersion: 2,
      mediaType,
      manifests: children.map((c, i) => ({ mediaType: c.mediaType, digest: c.digest, size: c.bytes.length, platform: platforms[i] })),
    });
    let index = await this.manifest(repo, sha256(bytes), mediaType, bytes);
    for (const tag of tags) index = await this.manifest(repo, tag, mediaType, bytes);
    return { index, children };
  }
}

function json(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v));
}
