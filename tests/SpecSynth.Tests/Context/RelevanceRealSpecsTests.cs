using static SpecSynth.Tests.Context.RelevanceFixture;

namespace SpecSynth.Tests.Context;

/// <summary>Real specs from /work/shared/specs/real over small synthetic projects shaped like the ones they were written for.</summary>
public sealed class RelevanceRealSpecsTests
{
    [Fact]
    public async Task KiroAudioCapHttpApiDesign_FindsTheTypesAndRoutesItNames()
    {
        using var dir = new TempDir();
        dir.Write("AudioCap/Server/HTTPServerManager.swift", """
            import Foundation

            @Observable
            final class HTTPServerManager {
                var isRunning: Bool = false
                func start() async throws {}
                func stop() async {}
            }
            """);
        dir.Write("AudioCap/Server/RecordingRoutes.swift", """
            import Vapor

            func registerRecordingRoutes(_ app: Application) {
                app.post("/recording/start") { req in try await RecordingAPIHandler.start(req) }
                app.post("/recording/stop") { req in try await RecordingAPIHandler.stop(req) }
                app.get("/recording/status") { req in RecordingAPIHandler.status(req) }
            }
            """);
        dir.Write("AudioCap/ProcessTap/ProcessTap.swift", """
            import CoreAudio

            final class ProcessTap {
                let process: AudioProcess
                func activate() throws {}
                func invalidate() {}
            }
            """);
        dir.Write("AudioCap/ProcessTap/AudioProcessController.swift", """
            import AppKit

            @Observable
            final class AudioProcessController {
                private(set) var processes = [AudioProcess]()
                func activate() {}
            }
            """);
        dir.Write("AudioCap/Views/AboutView.swift", """
            import SwiftUI

            struct AboutView: View {
                var body: some View { Text("Made with love") }
            }
            """);
        dir.Write("AudioCap/Assets/Palette.swift", "let accentHue = 0.61\nlet cornerRadius = 8.0\n");

        var ranked = await RankFileAsync(dir, Path.Combine(TestPaths.RealSpecs, "kiro-audiocap-http-api-design.md"));

        var top4 = ranked.Take(4).Select(r => r.Path).ToList();
        Assert.Contains("AudioCap/Server/HTTPServerManager.swift", top4);
        Assert.Contains("AudioCap/Server/RecordingRoutes.swift", top4);
        Assert.Contains("AudioCap/ProcessTap/ProcessTap.swift", top4);
        Assert.Contains("AudioCap/ProcessTap/AudioProcessController.swift", top4);
        Assert.Contains("defines HTTPServerManager", Get(ranked, "AudioCap/Server/HTTPServerManager.swift").Reasons);
        Assert.Contains("route POST /recording/start", Get(ranked, "AudioCap/Server/RecordingRoutes.swift").Reasons);
        Assert.False(ranked.Any(r => r.Path == "AudioCap/Assets/Palette.swift"), Describe(ranked));
    }

    [Fact]
    public async Task OpenSpecCliValidate_FindsTheNamedDocAndTheValidator()
    {
        using var dir = new TempDir();
        dir.Write("openspec/AGENTS.md", "# Agents\n\n## Quick reference\nEvery requirement needs a `#### Scenario:`.\n");
        dir.Write("src/commands/validate.ts", """
            import { Validator } from '../core/validation/validator';

            export class ValidateCommand {
              async execute(itemName?: string, options: { json?: boolean; noInteractive?: boolean } = {}) {
                const validator = new Validator();
                const report = await validator.validateChange(itemName ?? '');
                if (options.json) console.log(JSON.stringify(report));
              }
            }
            """);
        dir.Write("src/core/validation/validator.ts", """
            export interface ValidationIssue { level: 'ERROR' | 'WARNING' | 'INFO'; path: string; message: string; }

            export class Validator {
              async validateChange(path: string) {
                const issues: ValidationIssue[] = [];
                // No deltas found: change specs must include ADDED, MODIFIED, REMOVED or RENAMED requirements
                // Scenario headers, requirement text and deltas are validated here.
                return { valid: issues.length === 0, issues };
              }
            }
            """);
        dir.Write("src/cli/index.ts", """
            import { ValidateCommand } from '../commands/validate';

            program.command('validate [item-name]').action((name, options) => new ValidateCommand().execute(name, options));
            """);
        dir.Write("src/utils/colors.ts", "export const red = (s: string) => `\\u001b[31m${s}\\u001b[0m`;\n");
        dir.Write("src/utils/dates.ts", "export const today = () => new Date().toISOString().slice(0, 10);\n");

        var ranked = await RankFileAsync(dir, Path.Combine(TestPaths.RealSpecs, "plain-openspec-cli-validate-spec.md"));

        Assert.Equal("openspec/AGENTS.md", ranked[0].Path);
        Assert.Contains("named in the spec", ranked[0].Reasons);
        var top3 = ranked.Take(3).Select(r => r.Path).ToList();
        Assert.Contains("src/core/validation/validator.ts", top3);
        Assert.Contains("src/commands/validate.ts", top3);
        Assert.True(IndexOf(ranked, "src/utils/colors.ts") > IndexOf(ranked, "src/cli/index.ts"));
        Assert.DoesNotContain(ranked, r => r.Path == "src/utils/dates.ts");
    }
}
