// Values merged as Helm merges them, checked with the cases of Helm's own tests: TestCoalesceValues
// (pkg/chart/common/util/coalesce_test.go) and TestRenderNestedValues (pkg/engine/engine_test.go), with the
// expectations those tests state. A chart's values are what `chartValues` gives each chart; Helm's tests read the
// coalesced tree, where a subchart's values sit under its name (`.pequod.ahab.scope` is ahab's `.Values.scope`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartValues, type ChartInput } from '../../server/src/service/helm/chart';
import { GoInt, type GoMap, type GoValue } from '../../server/src/service/helm/values';

interface Spec {
  name: string;
  values: string;
  deps?: Spec[];
}

function input(spec: Spec, user?: string): ChartInput {
  const base = `file:///${spec.name}`;
  return {
    chartYaml: { uri: `${base}/Chart.yaml`, text: `apiVersion: v2\nname: ${spec.name}\nversion: 0.1.0\n` },
    values: [{ uri: `${base}/values.yaml`, text: spec.values }, ...(user === undefined ? [] : [{ uri: 'file:///user.yaml', text: user }])],
    templates: [],
    subcharts: (spec.deps ?? []).map((d) => ({ input: input(d) })),
  };
}

/** What `{{ .a.b.c }}` prints over the coalesced tree: `paths` says where each chart's values sit in it. */
function expand(charts: NonNullable<ReturnType<typeof chartValues>>, paths: Record<string, string[]>, tpl: string): string {
  const keys = tpl.replace(/^\{\{\.|\}\}$/g, '').split('.');
  // The deepest chart whose path is a prefix of the keys holds the value.
  const owner = charts
    .filter((c) => paths[c.meta.name].every((k, i) => keys[i] === k))
    .sort((a, b) => paths[b.meta.name].length - paths[a.meta.name].length)[0];
  let cur: GoValue | undefined = owner.values;
  for (const k of keys.slice(paths[owner.meta.name].length)) cur = cur instanceof Map ? (cur as GoMap).get(k) : undefined;
  if (cur === undefined) return '<no value>';
  return cur instanceof GoInt ? String(cur.value) : String(cur);
}

const has = (m: GoValue | undefined, key: string) => m instanceof Map && m.has(key);

describe('values coalesced as Helm does (Helm\'s TestCoalesceValues)', () => {
  const user = [
    'top: yup', 'bottom: null', 'right: Null', 'left: NULL', 'front: ~', 'back: ""', 'nested:', '  boat: null', '',
    'global:', '  name: Ishmael', '  subject: Queequeg', '  nested:', '    boat: true', '',
    'pequod:', '  boat: null', '  global:', '    name: Stinky', '    harpooner: Tashtego', '    nested:', '      boat: false', '      sail: true', '      foo2: null',
    '  ahab:', '    scope: whale', '    boat: null', '    nested:', '      foo: true', '      boat: null', '    object: null', '',
  ].join('\n');
  const moby: Spec = {
    name: 'moby',
    values: [
      'back: exists', 'bottom: exists', 'front: exists', 'left: exists', 'name: moby', 'nested: {boat: true}', 'override: bad', 'right: exists',
      'scope: moby', 'top: nope', 'global:', '  nested2: {l0: moby}', 'pequod:', '  boat: maybe', '  ahab:', '    boat: maybe', '    nested: {boat: maybe}',
    ].join('\n'),
    deps: [
      {
        name: 'pequod',
        values: 'name: pequod\nscope: pequod\nglobal:\n  nested2: {l1: pequod}\nboat: false\nahab:\n  boat: false\n  nested: {boat: false}\n',
        deps: [{ name: 'ahab', values: 'global:\n  nested: {foo: bar, foo2: bar2}\n  nested2: {l2: ahab}\nscope: ahab\nname: ahab\nboat: true\nnested: {foo: false, boat: true}\nobject: {foo: bar}\n' }],
      },
      { name: 'spouter', values: 'scope: spouter\nglobal:\n  nested2: {l1: spouter}\n' },
    ],
  };
  const charts = chartValues(input(moby, user))!;
  const paths = { moby: [], pequod: ['pequod'], ahab: ['pequod', 'ahab'], spouter: ['spouter'] };
  const cases: [string, string][] = [
    ['{{.top}}', 'yup'], ['{{.back}}', ''], ['{{.name}}', 'moby'], ['{{.global.name}}', 'Ishmael'], ['{{.global.subject}}', 'Queequeg'],
    ['{{.global.harpooner}}', '<no value>'], ['{{.pequod.name}}', 'pequod'], ['{{.pequod.ahab.name}}', 'ahab'], ['{{.pequod.ahab.scope}}', 'whale'],
    ['{{.pequod.ahab.nested.foo}}', 'true'], ['{{.pequod.ahab.global.name}}', 'Ishmael'], ['{{.pequod.ahab.global.nested.foo}}', 'bar'],
    ['{{.pequod.ahab.global.nested.foo2}}', '<no value>'], ['{{.pequod.ahab.global.subject}}', 'Queequeg'], ['{{.pequod.ahab.global.harpooner}}', 'Tashtego'],
    ['{{.pequod.global.name}}', 'Ishmael'], ['{{.pequod.global.nested.foo}}', '<no value>'], ['{{.pequod.global.subject}}', 'Queequeg'],
    ['{{.spouter.global.name}}', 'Ishmael'], ['{{.spouter.global.harpooner}}', '<no value>'],
    ['{{.global.nested.boat}}', 'true'], ['{{.pequod.global.nested.boat}}', 'true'], ['{{.spouter.global.nested.boat}}', 'true'],
    ['{{.pequod.global.nested.sail}}', 'true'], ['{{.spouter.global.nested.sail}}', '<no value>'],
    ['{{.global.nested2.l0}}', 'moby'], ['{{.global.nested2.l1}}', '<no value>'], ['{{.global.nested2.l2}}', '<no value>'],
    ['{{.pequod.global.nested2.l0}}', 'moby'], ['{{.pequod.global.nested2.l1}}', 'pequod'], ['{{.pequod.global.nested2.l2}}', '<no value>'],
    ['{{.pequod.ahab.global.nested2.l0}}', 'moby'], ['{{.pequod.ahab.global.nested2.l1}}', 'pequod'], ['{{.pequod.ahab.global.nested2.l2}}', 'ahab'],
    ['{{.spouter.global.nested2.l0}}', 'moby'], ['{{.spouter.global.nested2.l1}}', 'spouter'], ['{{.spouter.global.nested2.l2}}', '<no value>'],
  ];
  for (const [tpl, expect] of cases) it(`${tpl} is ${JSON.stringify(expect)}`, () => assert.equal(expand(charts, paths, tpl), expect));

  it('a user\'s null removes the default, in the chart, its subchart and the subchart\'s subchart', () => {
    const [top, pequod, ahab] = ['moby', 'pequod', 'ahab'].map((n) => charts.find((c) => c.meta.name === n)!.values);
    for (const key of ['bottom', 'right', 'left', 'front']) assert.ok(!has(top, key), key);
    assert.ok(!has(top.get('nested'), 'boat'));
    assert.ok(!has(pequod, 'boat'));
    assert.ok(!has(ahab, 'boat'));
    assert.ok(!has(ahab.get('nested'), 'boat'));
    assert.ok(!has(ahab, 'object'));
  });
});

describe('values of nested subcharts (Helm\'s TestRenderNestedValues)', () => {
  const top: Spec = {
    name: 'top',
    values: 'what: stinkweed\nwho: me\nherrick:\n  who: time\n  what: Sun\n',
    deps: [{ name: 'herrick', values: 'who: Robert\nwhat: glasses\n', deps: [{ name: 'deepest', values: 'what: milkshake\nwhere: here\n' }] }],
  };
  const charts = chartValues(input(top, 'what: rosebuds\nherrick:\n  deepest:\n    what: flower\n    where: Heaven\nglobal:\n  when: to-day\n'))!;
  const paths = { top: [], herrick: ['herrick'], deepest: ['herrick', 'deepest'] };
  const cases: [string, string][] = [
    // "Gather ye {{.Values.what}} while ye may", "Old {{.Values.who}} is still a-flyin'",
    // "And this same {{.Values.what}} that smiles {{.Values.global.when}}", "The glorious Lamp of {{…deepest.Values.where}}, the {{…herrick.Values.what}}"
    ['{{.what}}', 'rosebuds'], ['{{.herrick.who}}', 'time'], ['{{.herrick.deepest.what}}', 'flower'], ['{{.herrick.deepest.global.when}}', 'to-day'],
    ['{{.herrick.deepest.where}}', 'Heaven'], ['{{.herrick.what}}', 'Sun'],
  ];
  for (const [tpl, expect] of cases) it(`${tpl} is ${JSON.stringify(expect)}`, () => assert.equal(expand(charts, paths, tpl), expect));
});

describe('subcharts enabled and seen as Helm does', () => {
  const parent = (values: string): ChartInput => ({
    ...input({ name: 'app', values }),
    subcharts: [{ input: input({ name: 'redis', values: 'enabled: false\nimage: {repository: redis, tag: "7.2"}\n' }), condition: 'redis.enabled' }],
  });
  it('a condition is read from the coalesced values: the subchart\'s own default counts (dependencies.go)', () => {
    assert.deepEqual(chartValues(parent('name: app\n'))!.map((c) => c.meta.name), ['app']);
    assert.deepEqual(chartValues(parent('redis: {enabled: true}\n'))!.map((c) => c.meta.name), ['app', 'redis']);
  });
  it('the parent\'s templates see the subchart\'s values, defaults included, under its name', () => {
    const [app] = chartValues(parent('redis: {enabled: true, image: {tag: "7.4"}}\n'))!;
    assert.equal(expand([app], { app: [] }, '{{.redis.image.repository}}'), 'redis');
    assert.equal(expand([app], { app: [] }, '{{.redis.image.tag}}'), '7.4');
  });
});
