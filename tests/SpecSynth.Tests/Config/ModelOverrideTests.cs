using SpecSynth.Config;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Config;

/// <summary><c>[models."ID"]</c>: validated like every key, and used by planning and pricing through the catalog.</summary>
public sealed class ModelOverrideTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AnOverride_AddsAnUnknownModel_AndChangesAKnownOnesPrice_LeavingTheRest()
    {
        _dir.Write("specsynth.toml", "[models.\"my-finetune\"]\nprovider = \"openai\"\ncontext = 64000\nmax_output = 4096\ninput_usd_per_mtok = 1.5\n"
            + "output_usd_per_mtok = 6\n\n[models.\"claude-haiku-4-5\"]\ninput_usd_per_mtok = 0.9\n");
        var config = SpecSynthConfiguration.Load(_dir.Path, _ => null);

        var catalog = ModelCatalog.BuiltIn.With(config.Models);

        var tuned = catalog.Lookup("openai", "my-finetune");
        Assert.True(tuned.IsKnown);
        Assert.Equal(64_000, tuned.ContextWindow);
        Assert.Equal(4_096, catalog.PlannedOutputCap("openai", "my-finetune", 16_000));
        Assert.Equal(6m, tuned.OutputPerMillion);
        Assert.Null(catalog.UnknownModelWarning("openai", "my-finetune"));
        var haiku = catalog.Lookup("claude", "claude-haiku-4-5-20251001");
        Assert.Equal(0.9m, haiku.InputPerMillion);
        Assert.Equal(5m, haiku.OutputPerMillion);
        Assert.Equal(200_000, haiku.ContextWindow);
        Assert.Equal(1m, ModelCatalog.BuiltIn.Lookup("claude", "claude-haiku-4-5").InputPerMillion);
    }

    [Theory]
    [InlineData("[models.\"x\"]\ncontext = 5\n", "'models.\"x\".context' must be a whole number from 1024")]
    [InlineData("[models.\"x\"]\ninput_usd_per_mtok = -1\n", "'models.\"x\".input_usd_per_mtok' must be a number from 0 to 10000")]
    [InlineData("[models.\"x\"]\nprice = 1\n", "unknown key 'models.\"x\".price'")]
    [InlineData("[models.\"x\"]\nprovider = \"gemini\"\n", "must be claude, openai or ollama")]
    [InlineData("[llm.claude]\napi_key_ttl = -5\n", "'llm.claude.api_key_ttl' must be a whole number from 0 to 86400")]
    [InlineData("[llm.claude]\napi_key_shell = \"yes\"\n", "'llm.claude.api_key_shell' must be true or false")]
    public void BadValues_AreErrorsNamingTheKey(string toml, string expected)
    {
        _dir.Write("specsynth.toml", toml);

        var error = Assert.Throws<SpecSynthException>(() => SpecSynthConfiguration.Load(_dir.Path, _ => null));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyCommandSettings_AreRead()
    {
        _dir.Write("specsynth.toml", "[llm.openai]\napi_key_command = \"op read op://dev/openai/key\"\napi_key_shell = true\napi_key_ttl = 60\n");

        var openai = SpecSynthConfiguration.Load(_dir.Path, _ => null).For("openai");

        Assert.Equal("op read op://dev/openai/key", openai.ApiKeyCommand);
        Assert.True(openai.ApiKeyShell);
        Assert.Equal(TimeSpan.FromMinutes(1), openai.ApiKeyTtl);
    }
}
