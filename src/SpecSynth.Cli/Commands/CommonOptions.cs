using System.CommandLine;

namespace SpecSynth.Cli.Commands;

/// <summary>Options shared by the commands that call a model. Names are public API.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Project { get; } = new("--project") { Description = "The project folder (context and configuration). Default: the current folder (for context: --out when given)." };
    public Option<string?> Provider { get; } = new("--provider") { Description = "Provider or fallback chain: claude, openai, azure, ollama, mock (e.g. claude,openai)." };
    public Option<string?> Model { get; } = new("--model") { Description = "Model id for the first provider." };
    public Option<bool> MockLlm { get; } = new("--mock-llm") { Description = "Use the deterministic offline mock provider (same as --provider mock)." };
    public Option<bool> Json { get; } = new("--json") { Description = "Print a machine-readable JSON result on stdout." };
    public Option<bool> NoStream { get; } = new("--no-stream") { Description = "Ask for the whole reply at once instead of streaming." };
    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Neither read nor write the response cache." };
    public Option<decimal?> MaxCost { get; } = NumericOption.Usd("--max-cost",
        "The most this run may spend, in USD (above 0, at most 1000000); a request whose worst case does not fit fails with exit 6 before it is sent.",
        Budget.BudgetOptions.MaxUsd);
    public Option<bool> Refresh { get; } = new("--refresh") { Description = "Ask the provider even when the reply is cached, and cache the new reply." };

    /// <summary>A multi-value argument would swallow a mistyped option (<c>--frobnicate</c>) as a file name: refuse it
    /// (except <c>-</c>, standard input, when <paramref name="allowStdin"/>).</summary>
    public static void RejectOptionLikeValues(Argument<string[]> argument, bool allowStdin = false) =>
        argument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => t.Value.StartsWith('-') && !(allowStdin && t.Value == "-")))
            {
                r.AddError($"Unrecognized option '{token.Value}'.");
            }
        });

    /// <summary>The provider choice of <c>--provider</c> and <c>--mock-llm</c> (which wins), or <c>null</c> for the configuration's.</summary>
    public string? ProvidersOf(ParseResult parse) => parse.GetValue(MockLlm) ? "mock" : parse.GetValue(Provider);

    public void AddTo(Command command)
    {
        command.Add(Project);
        command.Add(Provider);
        command.Add(Model);
        command.Add(MockLlm);
        command.Add(Json);
        command.Add(NoStream);
        command.Add(NoCache);
        command.Add(Refresh);
        command.Add(MaxCost);
    }
}
