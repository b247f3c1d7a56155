// specsynth as a library: generate a spec with your own IChatClient (here the OpenAI SDK's, from the environment).
//
//   dotnet pack specsynth.slnx -c Release -o artifacts/packages        # from the repository root, once per change
//   OPENAI_API_KEY=sk-... dotnet run --project examples/library -- [SPEC.md] [OUTPUT_DIR]
//
// OPENAI_BASE_URL points it at any OpenAI-compatible server (default https://api.openai.com/v1), OPENAI_MODEL picks the
// model (default gpt-4.1-mini). The spec defaults to spec.md beside this file, the output folder to ./out.
using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using SpecSynth;

var spec = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "spec.md");
var output = args.Length > 1 ? args[1] : "out";

var services = new ServiceCollection();
services.AddChatClient(new OpenAIClient(
        new ApiKeyCredential(Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? throw new InvalidOperationException("Set OPENAI_API_KEY.")),
        new OpenAIClientOptions { Endpoint = new Uri(Environment.GetEnvironmentVariable("OPENAI_BASE_URL") ?? "https://api.openai.com/v1") })
    .GetChatClient(Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "gpt-4.1-mini")
    .AsIChatClient());
services.AddSpecSynth(); // specsynth uses the registered IChatClient, with its own middleware around it

await using var provider = services.BuildServiceProvider();
var specsynth = provider.GetRequiredService<ISpecSynthesizer>();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); }; // Ctrl+C: a write in progress is rolled back

try
{
    var result = await specsynth.GenerateAsync(new GenerateRequest { SpecPath = spec, OutputRoot = output }, cancel.Token);

    Console.WriteLine($"{result.Status}: {result.Files.Count} file(s) in {result.OutputRoot} ({result.Provider}, {result.Model})");
    foreach (var file in result.Files)
    {
        Console.WriteLine($"  {file.Action,-9} {file.Path}  [{file.Validation?.Status.ToString() ?? "not validated"}]");
    }
    Console.WriteLine($"Tokens: {result.Usage.InputTokens} in, {result.Usage.OutputTokens} out; cost ${result.CostUsd}; confidence {result.Confidence:0.00}");
    return 0;
}
catch (SpecSynthException e)
{
    Console.Error.WriteLine($"specsynth: {e.Kind}: {e.Message}");
    return 1;
}
