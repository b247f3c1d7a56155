using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Service;

/// <summary>The library (<c>AddSpecSynth</c> + <see cref="ISpecSynthesizer.GenerateAsync"/>) and the CLI do the same job:
/// for the same spec and project they send the same request bodies and write the same bytes.</summary>
public sealed class LibraryCliEquivalenceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SameSpecAndProject_SameRequestBodies_SameFiles(bool stream)
    {
        var openai = ProviderCases.Get("openai");
        await using var server = await FakeProviderServer.StartAsync();
        using var world = new ServiceWorld(openai.Env(server.BaseUrl));
        world.Write("README.md", "# Todo\n\nA todo list kept in a JSON file.\n");
        world.Write("specsynth.toml", "[retry]\nmax_attempts = 1\n");
        server.Enqueue(openai.Reply(ModelAnswers.TwoFiles, stream), openai.Reply(ModelAnswers.TwoFiles, stream));
        string[] flags = stream ? [] : ["--no-stream"];

        var cli = await world.Cli().RunAsync(["generate", "spec.md", "--out", "out", "--provider", "openai", .. flags]);
        Assert.True(cli.ExitCode == 0, cli.Error);
        var cliBodies = server.Requests.Select(r => r.Body).ToList();
        var cliFiles = world.OutputFiles();
        world.Reset();

        await using var services = world.Services();
        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(new GenerateRequest
        {
            SpecPath = "spec.md",
            OutputRoot = "out",
            Providers = "openai",
            Stream = stream,
        });
        var libraryBodies = server.Requests.Skip(cliBodies.Count).Select(r => r.Body).ToList();

        Assert.Single(cliBodies);
        Assert.Equal(cliBodies, libraryBodies);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], cliFiles.Select(f => f.Path));
        Assert.Equal(cliFiles.Select(f => f.Path), world.OutputFiles().Select(f => f.Path));
        Assert.Equal(cliFiles.Select(f => f.Bytes), world.OutputFiles().Select(f => f.Bytes));
        Assert.Equal(GenerateStatus.Written, result.Status);
        Assert.Equal("openai", result.Provider);
        Assert.NotNull(result.JournalRun);
    }

    [Fact]
    public async Task MockProvider_SameFiles_AndTheSameJsonShape()
    {
        using var world = new ServiceWorld();

        var cli = await world.Cli().RunAsync("generate", "spec.md", "--out", "out", "--mock-llm", "--json");
        Assert.True(cli.ExitCode == 0, cli.Error);
        var cliFiles = world.OutputFiles();
        world.Reset();
        await using var services = world.Services();
        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(
            new GenerateRequest { SpecPath = "spec.md", OutputRoot = "out", Providers = "mock" });

        Assert.NotEmpty(cliFiles);
        Assert.Equal(cliFiles.Select(f => (f.Path, Convert.ToHexString(f.Bytes))), world.OutputFiles().Select(f => (f.Path, Convert.ToHexString(f.Bytes))));
        using var json = System.Text.Json.JsonDocument.Parse(cli.Out);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        var library = System.Text.Json.JsonSerializer.SerializeToElement(result, new System.Text.Json.JsonSerializerOptions
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        });
        Assert.Equal(names, library.EnumerateObject().Select(p => p.Name));
        Assert.Equal(json.RootElement.GetProperty("files").GetArrayLength(), result.Files.Count);
    }
}
