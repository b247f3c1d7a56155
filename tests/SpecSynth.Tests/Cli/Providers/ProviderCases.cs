namespace SpecSynth.Tests.Cli.Providers;

/// <summary>The provider cases by name, and the theory data built from them.</summary>
internal static class ProviderCases
{
    private static readonly ProviderCase[] All = [new ClaudeCase(), new OpenAICase(), new OpenAICompatibleCase(), new OllamaCase()];

    /// <summary>Cases with tests of their own, not in the theory data (Azure OpenAI shares OpenAI's wire).</summary>
    private static readonly ProviderCase[] Others = [new AzureCase()];

    public static ProviderCase Get(string name) => All.Concat(Others).Single(c => c.Name == name);

    /// <summary>Every case.</summary>
    public static TheoryData<string> Names() => [.. All.Select(c => c.Name)];

    /// <summary>Every case, streamed and not.</summary>
    public static TheoryData<string, bool> NamesAndStreaming()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in All)
        {
            data.Add(c.Name, true);
            data.Add(c.Name, false);
        }
        return data;
    }

    /// <summary>The cases that send an API key.</summary>
    public static TheoryData<string> WithKey() => [.. All.Where(c => c.Key is not null).Select(c => c.Name)];
}
