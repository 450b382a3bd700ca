import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTemplate, PARSE_LIMITS } from "../parse/template";
import { writeYaml, formatScalar } from "../emit/yaml";
import { isTopoError } from "../../errors";

const SHORT_FORMS = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Or [!Condition IsProd, !Condition NotProd]]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Role.Arn
      Attr: !GetAtt Db.Endpoint.Address
      Name: !Sub "\${AWS::StackName}-fn"
      Vars: !Sub
        - "\${A}-\${B}"
        - A: !Ref X
          B: !ImportValue Shared
      Joined: !Join ["", [a, !Ref Y]]
      Picked: !Select [0, !GetAZs ""]
      Split: !Split [",", "a,b"]
      Mapped: !FindInMap [Map, !Ref AWS::Region, Ami]
      Maybe: !If [IsProd, 1, !Ref AWS::NoValue]
      Encoded: !Base64 hello
      Cidrs: !Cidr [10.0.0.0/16, 4, 8]
      Included: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          echo \${AWS::Region}
`;

test("parse: every CloudFormation short-form tag becomes the long form", () => {
  const p = parseTemplate(SHORT_FORMS).value as any;
  const props = p.Resources.Fn.Properties;
  assert.deepEqual(p.Conditions.IsProd, { "Fn::Equals": [{ Ref: "Stage" }, "prod"] });
  assert.deepEqual(p.Conditions.NotProd, { "Fn::Not": [{ Condition: "IsProd" }] });
  assert.deepEqual(props.Role, { "Fn::GetAtt": ["Role", "Arn"] });
  assert.deepEqual(props.Attr, { "Fn::GetAtt": ["Db", "Endpoint.Address"] });
  assert.deepEqual(props.Name, { "Fn::Sub": "${AWS::StackName}-fn" });
  assert.deepEqual(props.Vars, { "Fn::Sub": ["${A}-${B}", { A: { Ref: "X" }, B: { "Fn::ImportValue": "Shared" } }] });
  assert.deepEqual(props.Joined, { "Fn::Join": ["", ["a", { Ref: "Y" }]] });
  assert.deepEqual(props.Picked, { "Fn::Select": [0, { "Fn::GetAZs": "" }] });
  assert.deepEqual(props.Mapped, { "Fn::FindInMap": ["Map", { Ref: "AWS::Region" }, "Ami"] });
  assert.deepEqual(props.Maybe, { "Fn::If": ["IsProd", 1, { Ref: "AWS::NoValue" }] });
  assert.deepEqual(props.Cidrs, { "Fn::Cidr": ["10.0.0.0/16", 4, 8] });
  assert.deepEqual(props.Included, { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://b/k" } } });
  assert.deepEqual(props.UserData, { "Fn::Base64": { "Fn::Sub": "#!/bin/bash\necho ${AWS::Region}\n" } });
});

test("parse → write → parse keeps values and comments (short forms round-trip)", () => {
  const src = `# Header comment

Resources:
  # the queue
  Queue:
    Type: AWS::SQS::Queue # trailing
    Properties:
      QueueName: !Sub "\${AWS::StackName}-jobs"
      Tags:
        # first tag
        - Key: a
          Value: b
`;
  const a = parseTemplate(SHORT_FORMS + src.replace("Resources:\n", "").replace(/^# Header comment\n\n/, ""));
  const out = writeYaml(a.value, { comments: a.comments });
  const b = parseTemplate(out);
  assert.deepEqual(b.value, a.value);
  assert.deepEqual(b.comments, a.comments);
  assert.match(out, /!GetAtt Db\.Endpoint\.Address/);
  assert.match(out, /Fn::Base64: !Sub \|/);
  const c = parseTemplate(src);
  const text = writeYaml(c.value, { comments: c.comments });
  assert.match(text, /^# Header comment\n/);
  assert.match(text, /# the queue\n  Queue:/);
  assert.match(text, /Type: AWS::SQS::Queue # trailing/);
  assert.deepEqual(parseTemplate(text).comments, c.comments);
});

test("parse: JSON templates, with lines for the report", () => {
  const p = parseTemplate(`{\n  "Resources": {\n    "Jobs": {\n      "Type": "AWS::SQS::Queue"\n    }\n  }\n}`);
  assert.equal(p.format, "json");
  assert.deepEqual(p.value, { Resources: { Jobs: { Type: "AWS::SQS::Queue" } } });
  assert.equal(p.line("/Resources/Jobs"), 3);
});

test("parse: syntax errors are TOPO-E060 with the line; non-templates TOPO-E061", () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      assert.ok(isTopoError(e), String(e));
      return { code: e.code, message: e.message, extra: e.extra };
    }
    assert.fail("expected a TopoError");
  };
  const yaml = code(() => parseTemplate("Resources:\n  Q:\n    Type: [unclosed\n", { fileName: "t.yaml" }));
  assert.equal(yaml.code, "TOPO-E060");
  assert.match(yaml.message, /t\.yaml is not valid YAML \(line \d\)/);
  assert.equal(code(() => parseTemplate('{ "Resources": ')).code, "TOPO-E060");
  assert.equal(code(() => parseTemplate("just a string")).code, "TOPO-E061");
  assert.equal(code(() => parseTemplate("")).code, "TOPO-E061");
  assert.equal(code(() => parseTemplate("- a\n- b\n")).code, "TOPO-E061");
  assert.match(code(() => parseTemplate("Description: x\n")).message, /no Resources section/);
  assert.equal(code(() => parseTemplate("Resources:\n  Q: !Foo bar\n")).code, "TOPO-E060");
  assert.match(code(() => parseTemplate("Resources:\n  Q: !Foo bar\n")).message, /!Foo/);
  assert.equal(code(() => parseTemplate("a: 1\n---\nb: 2\n")).code, "TOPO-E060");
});

test("parse: alias bombs, deep nesting and huge inputs are refused fast (TOPO-E062)", () => {
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "Resources: *j"].join("\n");
  const t0 = performance.now();
  assert.throws(() => parseTemplate(bomb), (e: unknown) => isTopoError(e) && e.code === "TOPO-E062" && /aliases|expands/.test(e.message));
  assert.ok(performance.now() - t0 < 2_000, "alias bomb must be refused fast");
  const deep = `Resources: ${"[".repeat(5_000)}${"]".repeat(5_000)}\n`;
  assert.throws(() => parseTemplate(deep), (e: unknown) => isTopoError(e) && (e.code === "TOPO-E062" || e.code === "TOPO-E060"));
  const deepJson = `{"Resources": ${'{"a":'.repeat(200)}1${"}".repeat(200)}}`;
  assert.throws(() => parseTemplate(deepJson), (e: unknown) => isTopoError(e) && e.code === "TOPO-E062");
  assert.throws(() => parseTemplate("a".repeat(PARSE_LIMITS.maxBytes + 1)), (e: unknown) => isTopoError(e) && e.code === "TOPO-E062");
});

test("parse: binary, invalid UTF-8 and UTF-16 are TOPO-E063", () => {
  const is63 = (e: unknown) => isTopoError(e) && e.code === "TOPO-E063";
  assert.throws(() => parseTemplate(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])), is63);
  assert.throws(() => parseTemplate(new Uint8Array([0x52, 0x65, 0xc3, 0x28])), is63);
  assert.throws(() => parseTemplate(new Uint8Array([0xff, 0xfe, 0x52, 0x00])), is63);
  assert.throws(() => parseTemplate("Resources:\n  Q:\u0000\n"), is63);
  // A BOM is fine.
  assert.equal(parseTemplate(new TextEncoder().encode("\ufeffResources: {}\n")).format, "yaml");
});

test("parse: duplicate keys are a warning with the line (last one wins, as in SAM CLI)", () => {
  const p = parseTemplate("Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n");
  assert.deepEqual(p.value.Resources, { A: { Type: "Y" } });
  assert.equal(p.warnings.length, 1);
  assert.equal(p.warnings[0].line, 4);
});

test("yaml writer: scalars that YAML 1.1 or 1.2 would read as something else are quoted", () => {
  for (const s of ["yes", "No", "on", "OFF", "y", "true", "null", "~", "0777", "0x1F", "1e3", "1_000", "12:30", "2012-10-17", ".inf", "-1", "+5", "=", "<<", "", " lead", "trail ", "a: b", "a #b", "*star", "&amp", "!bang", "@at", "`tick", "%pct", "- dash", "{x}", "[y]"]) {
    const text = formatScalar(s);
    assert.notEqual(text, s === "" ? "" : s, `${JSON.stringify(s)} must be quoted`);
    assert.deepEqual(parseTemplate(`Resources:\n  X: ${text}\n`).value.Resources, { X: s }, `${JSON.stringify(s)} → ${text}`);
  }
  for (const s of ["arn:aws:sqs:eu-west-1:123456789012:q", "s3:ObjectCreated:*", "rate(5 minutes)", "$request.header.Authorization", "AWS::Composer::Groups", "index.handler", "python3.12", "a-b_c/d"]) assert.equal(formatScalar(s), s);
});

test("yaml writer: tricky strings survive a write and a parse exactly", () => {
  const values = ["line1\nline2", "ends with newline\n", "two trailing\n\n", "  indented first\nsecond", "tab\there", "quote ' and \"", "unicode é ü 漢字 😀", "\u2028sep", "ctrl\u0007", "#!/bin/bash\necho hi\n", "a\n\n\nb\n", "   \nx", "x\n   \ny"];
  const template = { Resources: Object.fromEntries(values.map((v, i) => [`R${i}`, { Type: "Custom::X", Properties: { V: v, L: [v], F: { "Fn::Sub": v } } }])) };
  const text = writeYaml(template);
  assert.deepEqual(parseTemplate(text).value, template);
});
