import { describe, expect, it } from "vitest";
import { InputError } from "../../src/util/errors.js";
import { MAX_YAML_ALIAS_COUNT, parseYamlText } from "../../src/util/yaml-text.js";
import { billionLaughs } from "../support/config-bomb-kit.js";

// The one YAML path every config file takes: anchors used as people use them parse normally; a "billion laughs"
// document and an alias to nothing are one-line input errors, never a ReferenceError with a stack.

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  return "no error";
}

describe("YAML aliases in config files", () => {
  it("an anchor reused a few dozen times parses to the repeated value", () => {
    const uses = Array.from({ length: 40 }, (_, k) => `  w${k}: *big`).join("\n");
    const text = `base: &big {num_gpu_blocks: 4096, block_size: 16}\nengine_args:\n${uses}\n`;
    const value = parseYamlText(text, "grid.yaml").value as { engine_args: Record<string, unknown> };
    expect(Object.keys(value.engine_args)).toHaveLength(40);
    expect(value.engine_args.w39).toEqual({ num_gpu_blocks: 4096, block_size: 16 });
  });

  it("billion laughs (9 levels × 9 aliases = 387,420,489 strings) is refused with one line", () => {
    expect(messageOf(() => parseYamlText(billionLaughs(), "bomb.yaml"))).toBe(
      `bomb.yaml: YAML aliases expand too far (more than ${MAX_YAML_ALIAS_COUNT} repeated nodes; a "billion laughs" document?)`,
    );
  });

  it("a small expansion under the bound still parses (3 levels × 9 = 729 strings)", () => {
    const value = parseYamlText(billionLaughs(3, 9), "small.yaml").value as { l2: unknown[][] };
    expect(value.l2.flat()).toHaveLength(81);
  });

  it("an alias to an anchor that is not defined names its line", () => {
    expect(messageOf(() => parseYamlText("ttft: 100\nitl: *missing\n", "p.yaml"))).toBe(
      "p.yaml:2: invalid YAML: Unresolved alias (the anchor must be set before the alias): missing",
    );
  });
});
