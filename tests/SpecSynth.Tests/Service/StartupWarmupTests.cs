using SpecSynth.Jobs;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Service;

/// <summary>The start-up warm-ups run through (a warm-up that throws halfway warms nothing) and Roslyn is warmed only for
/// C# specs.</summary>
public sealed class StartupWarmupTests
{
    [Fact]
    public async Task The_common_warm_ups_run_through_once()
    {
        var warmup = new StartupWarmup();

        warmup.Begin();
        var first = warmup.Common;
        warmup.Begin();

        Assert.NotNull(first);
        Assert.Same(first, warmup.Common);
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Validation_is_warmed_for_a_CSharp_spec_only()
    {
        var warmup = new StartupWarmup();

        warmup.BeginValidation([SpecParser.Parse("---\nlanguage: python\n---\n# Tool\n\nA small tool.\n")]);
        Assert.Null(warmup.Validation);

        warmup.BeginValidation([SpecParser.Parse("---\nlanguage: csharp\n---\n# Tool\n\nA small tool.\n")]);
        Assert.NotNull(warmup.Validation);
        Assert.True(await warmup.Validation.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
