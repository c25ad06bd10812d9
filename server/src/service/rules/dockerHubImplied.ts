import type { Rule } from './rule';
import { imagePartRange } from './unpinned';

/** First path components that read like a registry host but, without a `.` or `:`, are Docker Hub namespaces. */
const HOST_LIKE = /^(?:[a-z0-9]+[-_])*(?:registry|harbor|nexus|artifactory)(?:[-_][a-z0-9]+)*$|^(?:my|private|internal|local|corp|company)[-_]?(?:registry|repo|hub|docker|harbor|nexus)\d*$/;

/**
 * docker-hub-implied (hint): the image's first path component reads like a registry host (`private-registry`,
 * `myregistry`, `harbor`, `nexus`, `artifactory`, …) but has no `.` or `:` and is not `localhost`, so the
 * image is a Docker Hub one: `private-registry/app` pulls `docker.io/private-registry/app`.
 */
export const dockerHubImplied: Rule = {
  id: 'docker-hub-implied',
  defaultSeverity: 'hint',
  description: 'The first part of the image name reads like a registry host but makes the image a Docker Hub one.',
  checkImage(fact, ctx) {
    if (fact.templated || !fact.range || fact.image === null || !fact.reference?.valid || fact.reference.ref.domain !== 'docker.io') return [];
    const written = fact.image.trim();
    const slash = written.indexOf('/');
    if (slash <= 0) return [];
    const first = written.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || !HOST_LIKE.test(first)) return [];
    const lead = fact.image.length - fact.image.trimStart().length;
    const focus = imagePartRange(fact, ctx.file.text, [lead, lead + first.length]);
    return [{
      range: fact.range,
      message: `${JSON.stringify(first)} is a Docker Hub account here, not a registry host`,
      detail: `Without a \`.\` or \`:\` (or \`localhost\`), the first part of an image name is a Docker Hub namespace: this pulls ${JSON.stringify(`${fact.reference.ref.name}`)}. Write the registry's full host name (\`${first}.example.com/…\`).`,
      ...(focus ? { focus } : {}),
    }];
  },
};
