namespace SpecSynth.Tests.Cli.Providers;

/// <summary>An OpenAI-compatible server on loopback under <c>/api/v1</c>, with no API key and its own model name.</summary>
internal sealed class OpenAICompatibleCase : OpenAICase
{
    public override string Name => "openai-compatible";

    public override string ChatPath => "/api/v1/chat/completions";

    public override string? Key => null;

    public override IReadOnlyList<string> ExtraArgs => ["--model", "qwen2.5-coder-32b-instruct"];

    protected override string BasePath => "api/v1";
}
