/**
 * The Anthropic SDK, imported the first time a model is used: loading it takes about a quarter of a second, and the
 * offline commands (plan and apply without --model, check, the guide without a model) never need it. Modules that only
 * name its types use `import type`, which the build erases.
 */
import type Anthropic from '@anthropic-ai/sdk';

let loading: Promise<typeof Anthropic> | undefined;

export function loadAnthropicSdk(): Promise<typeof Anthropic> {
  loading ??= import('@anthropic-ai/sdk').then((sdk) => sdk.default);
  return loading;
}
