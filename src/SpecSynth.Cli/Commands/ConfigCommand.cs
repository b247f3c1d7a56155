using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth config show</c>: the effective configuration. Keys are never shown, only whether they are set.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Option<string?>("--project") { Description = "The project folder. Default: the current folder." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var show = new Command("show", "Show the effective configuration with every secret masked.") { project, json };
        show.SetAction(async (parse, ct) =>
        {
            var dir = host.FullPath(parse.GetValue(project) ?? ".");
            var view = SpecSynthConfiguration.Show(dir, host.GetEnv);
            var batch = SpecSynthConfiguration.Load(dir, host.GetEnv).Batch;
            var text = parse.GetValue(json) ? Json(view, batch) : Toml(view) + "\n\n" + Toml(batch);
            await host.Out.WriteLineAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("config", "Inspect the configuration.") { show };
    }

    /// <summary>The report as JSON with <c>batch</c> added (<c>enabled</c>, <c>min_specs</c>, <c>poll_seconds</c>).</summary>
    private static string Json(ConfigurationReport view, Config.BatchOptions batch)
    {
        var node = JsonSerializer.SerializeToNode(view, CliJson.Options)!.AsObject();
        node["batch"] = new System.Text.Json.Nodes.JsonObject
        {
            ["enabled"] = batch.Enabled,
            ["min_specs"] = batch.MinSpecs,
            ["poll_seconds"] = batch.PollInterval.TotalSeconds,
        };
        return node.ToJsonString(CliJson.Options);
    }

    private static string Toml(Config.BatchOptions batch) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"[batch]\nenabled = {(batch.Enabled ? "true" : "false")}\nmin_specs = {batch.MinSpecs}\npoll_seconds = {batch.PollInterval.TotalSeconds}");

    private static string Toml(ConfigurationReport view)
    {
        var sb = new StringBuilder();
        sb.Append("# sources: ").Append(view.Sources.Count == 0 ? "defaults only" : string.Join(", ", view.Sources)).Append('\n');
        sb.Append("# state folder: ").Append(view.StateDir).Append("\n\n[llm]\n");
        sb.Append("provider = \"").Append(view.Providers[0]).Append("\"\n");
        sb.Append("fallback = [").Append(string.Join(", ", view.Providers.Skip(1).Select(p => $"\"{p}\""))).Append("]\n");
        if (view.ModelOverride is not null)
        {
            sb.Append("# model override (flag or SPECSYNTH_MODEL): ").Append(view.ModelOverride).Append('\n');
        }
        foreach (var (name, p) in view.Llm)
        {
            sb.Append("\n[llm.").Append(name).Append("]\n");
            if (p.Model is not null) { sb.Append("model = \"").Append(p.Model).Append("\"\n"); }
            if (p.MaxTokens is not null) { sb.Append("max_tokens = ").Append(p.MaxTokens).Append('\n'); }
            if (p.Temperature is not null) { sb.Append("temperature = ").Append(p.Temperature.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n'); }
            if (p.BaseUrl is not null) { sb.Append("base_url = \"").Append(p.BaseUrl).Append("\"\n"); }
            if (p.CustomSystemPrompt) { sb.Append("system_prompt = \"(custom)\"\n"); }
            if (p.ApiKeyCommand is not null) { sb.Append("api_key_command = \"").Append(p.ApiKeyCommand).Append("\"\n"); }
            if (p.ApiVersion is not null) { sb.Append("api_version = \"").Append(p.ApiVersion).Append("\"\n"); }
            foreach (var (variable, state) in p.ApiKeyEnv)
            {
                sb.Append("# api key: $").Append(variable).Append(' ').Append(state).Append('\n');
            }
            if (p.KeySource is not null) { sb.Append("# api key source: ").Append(p.KeySource).Append('\n'); }
        }
        sb.Append("\n[cache]\nenabled = ").Append(view.Cache.Enabled ? "true" : "false").Append('\n');
        sb.Append("ttl_hours = ").Append(view.Cache.TtlHours.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        if (view.Cache.Url is not null) { sb.Append("url = \"").Append(view.Cache.Url).Append("\"\n"); }
        if (view.Shared.Redis is not null) { sb.Append("\n[shared]\nredis = \"").Append(view.Shared.Redis).Append("\"\n"); }
        sb.Append("\n[audit]\ninclude_prompts = ").Append(view.Audit.IncludePrompts ? "true" : "false").Append('\n');
        AppendBudget(sb, view);
        sb.Append("\n[context]\n").Append(view.Context.Budget is { } budget
            ? "budget = " + budget.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"
            : "# budget: each model's whole window (window − reply − margin)\n");
        sb.Append("\n[edits]\nmode = \"").Append(view.Edits.Mode).Append("\"\n");
        sb.Append("threshold_lines = ").Append(view.Edits.ThresholdLines.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        AppendTelemetry(sb, view.Telemetry);
        return sb.ToString().TrimEnd();
    }

    private static void AppendTelemetry(StringBuilder sb, Telemetry.TelemetryOptions telemetry)
    {
        sb.Append("\n[telemetry]\nenabled = ").Append(telemetry.Enabled ? "true" : "false").Append('\n');
        sb.Append(telemetry.Endpoint is { } endpoint ? $"endpoint = \"{endpoint}\"\n" : "# endpoint: OTEL_EXPORTER_OTLP_ENDPOINT, else no export\n");
        if (telemetry.Protocol is { } protocol) { sb.Append("protocol = \"").Append(protocol).Append("\"\n"); }
        if (telemetry.ServiceName is { } service) { sb.Append("service_name = \"").Append(service).Append("\"\n"); }
        sb.Append("include_content = ").Append(telemetry.IncludeContent ? "true" : "false").Append('\n');
    }

    private static void AppendBudget(StringBuilder sb, ConfigurationReport view)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        sb.Append("\n[budget]\n");
        if (view.Budget.DailyUsd is { } daily) { sb.Append("daily_usd = ").Append(daily.ToString(inv)).Append('\n'); }
        if (view.Budget.MonthlyUsd is { } monthly) { sb.Append("monthly_usd = ").Append(monthly.ToString(inv)).Append('\n'); }
        sb.Append("min_output_tokens = ").Append(view.Budget.MinOutputTokens.ToString(inv)).Append('\n');
        sb.Append("\n[routing]\n");
        foreach (var (key, value) in new[] { ("generate", view.Routing.Generate), ("explain", view.Routing.Explain), ("review", view.Routing.Review),
            ("small_spec", view.Routing.SmallSpec), ("on_budget_exhausted", view.Routing.OnBudgetExhausted) })
        {
            if (value is not null) { sb.Append(key).Append(" = \"").Append(value).Append("\"\n"); }
        }
        if (view.Routing.SmallSpecTokens is { } small) { sb.Append("small_spec_tokens = ").Append(small.ToString(inv)).Append('\n'); }
    }
}
