using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using SpecSynth.Providers.Keys;
using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Middleware;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>
/// A fake provider server that answers according to the API key on the wire (x-api-key or the bearer token): each key
/// has its own queue of scripted replies, then a default success. Notes which key each chat request carried and when
/// (on the harness's fake clock).
/// </summary>
internal sealed class KeyedServer
{
    /// <summary>The key values, by variable name. Distinct and recognisable so a leak is easy to find.</summary>
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["KEY_A"] = "sk-test-AAAA-secret-value-1111",
        ["KEY_B"] = "sk-test-BBBB-secret-value-2222",
        ["KEY_C"] = "sk-test-CCCC-secret-value-3333",
    };

    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeResponse>> scripts = new();
    private readonly ConcurrentQueue<(string Variable, DateTimeOffset At)> calls = new();

    private KeyedServer(string provider, Harness harness, FakeProviderServer server)
    {
        Provider = provider;
        Server = server;
        server.Router = request =>
        {
            if (!ProviderWire.IsChat(request))
            {
                return null;
            }
            var wire = (request.Header("x-api-key") ?? "") + " " + (request.Header("authorization") ?? "");
            var variable = Keys.FirstOrDefault(k => wire.Contains(k.Value, StringComparison.Ordinal)).Key ?? "(none)";
            calls.Enqueue((variable, harness.Time.GetUtcNow()));
            var stream = request.Body.Contains("\"stream\":true", StringComparison.Ordinal);
            return scripts.TryGetValue(variable, out var queue) && queue.TryDequeue(out var scripted)
                ? scripted
                : ProviderWire.Reply(provider, "answered with " + variable, stream);
        };
    }

    public string Provider { get; }

    public FakeProviderServer Server { get; }

    /// <summary>The variable whose key each chat request carried, in order.</summary>
    public IReadOnlyList<string> KeysUsed => [.. calls.Select(c => c.Variable)];

    public IReadOnlyList<(string Variable, DateTimeOffset At)> Calls => [.. calls];

    public static async Task<KeyedServer> StartAsync(string provider, Harness harness) =>
        new(provider, harness, await harness.ServerAsync());

    /// <summary>The next requests carrying <paramref name="variable"/>'s key get these replies.</summary>
    public KeyedServer Script(string variable, params FakeResponse[] responses)
    {
        var queue = scripts.GetOrAdd(variable, _ => new());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }
        return this;
    }

    /// <summary>A link with one client per key variable, built by the real provider factory.</summary>
    public ProviderLink Link(Harness harness, List<IChatClient> owned, params string[] variables)
    {
        var keys = variables.Select(v =>
        {
            var settings = ProviderWire.Settings(Provider, Server) with { ApiKey = Keys[v], KeyVariable = v };
            var client = ProviderClientFactory.Create(settings, time: harness.Time);
            owned.Add(client);
            return new ProviderKey(v, client);
        }).ToList();
        return new ProviderLink(Provider, keys[0].Client, 200_000)
        {
            Model = ProviderWire.Settings(Provider, Server).Model,
            KeyAlias = variables[0],
            Keys = keys,
        };
    }
}
