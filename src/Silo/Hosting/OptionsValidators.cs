using Infera.Canaries;
using Infera.Jobs;
using Infera.Trust;
using Infera.Storage.Sqlite;
using Infera.Verification;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Hosting;

/// <summary>Checks every silo setting at start-up and reports all problems at once, each naming the setting to change.</summary>
internal sealed class SiloOptionsValidator :
    IValidateOptions<SiloOptions>, IValidateOptions<JobOptions>, IValidateOptions<VerificationOptions>,
    IValidateOptions<TrustOptions>, IValidateOptions<CanaryOptions>, IValidateOptions<SqliteOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options) => Report(
        (string.IsNullOrWhiteSpace(options.SiloId), "Infera:Silo:SiloId must not be empty."),
        (options.HeartbeatInterval <= TimeSpan.Zero, "Infera:Silo:HeartbeatInterval must be positive."),
        (options.NodeTimeout <= options.HeartbeatInterval, "Infera:Silo:NodeTimeout must be longer than Infera:Silo:HeartbeatInterval."),
        (options.HandshakeTimeout <= TimeSpan.Zero, "Infera:Silo:HandshakeTimeout must be positive."));

    public ValidateOptionsResult Validate(string? name, JobOptions options) => Report(
        (options.AdaptiveSampleRate is < 0 or > 1, "Infera:Jobs:AdaptiveSampleRate must be between 0 and 1."),
        (options.EscalationNodes < 0 || options.Redundancy + options.EscalationNodes > 16, "Infera:Jobs:EscalationNodes must be >= 0, and Redundancy + EscalationNodes at most 16."),
        (options.Redundancy is < 1 or > 16, $"Infera:Jobs:Redundancy must be between 1 and 16 (it is {options.Redundancy})."),
        (options.MaxReplacements < 0, "Infera:Jobs:MaxReplacements must not be negative."),
        (options.FirstTokenTimeout <= TimeSpan.Zero, "Infera:Jobs:FirstTokenTimeout must be positive."),
        (options.AssignmentTimeout < options.FirstTokenTimeout, "Infera:Jobs:AssignmentTimeout must be at least Infera:Jobs:FirstTokenTimeout."));

    public ValidateOptionsResult Validate(string? name, VerificationOptions options) => Report(
        (options.Threshold is <= 0 or > 1, $"Infera:Verification:Threshold must be in (0, 1] (it is {options.Threshold})."));

    public ValidateOptionsResult Validate(string? name, TrustOptions options) => Report(
        (options.InitialAgreement is <= 0 or > 1, "Infera:Trust:InitialAgreement must be in (0, 1]."),
        (options.Alpha is <= 0 or > 1, "Infera:Trust:Alpha must be in (0, 1]."),
        (options.InitialStake < options.MinimumStake, "Infera:Trust:InitialStake must be at least Infera:Trust:MinimumStake."),
        (options.SlashFraction is < 0 or > 1, "Infera:Trust:SlashFraction must be between 0 and 1."),
        (options.CoolingOff < TimeSpan.Zero || options.MaxCoolingOff < options.CoolingOff, "Infera:Trust:CoolingOff must be >= 0 and at most Infera:Trust:MaxCoolingOff."),
        (options.ReputationFloor is < 0 or >= 100, "Infera:Trust:ReputationFloor must be in [0, 100)."),
        (options.TrustedReputation is <= 0 or > 100, "Infera:Trust:TrustedReputation must be in (0, 100]."));

    public ValidateOptionsResult Validate(string? name, CanaryOptions options) => Report(
        (options.NewNodeRate is < 0 or > 1, "Infera:Canaries:NewNodeRate must be between 0 and 1."),
        (options.EstablishedRate is < 0 or > 1, "Infera:Canaries:EstablishedRate must be between 0 and 1."),
        (options.NewNodeVerdicts < 0, "Infera:Canaries:NewNodeVerdicts must not be negative."),
        (options.ReferencesPerModel < 1, "Infera:Canaries:ReferencesPerModel must be at least 1."));

    public ValidateOptionsResult Validate(string? name, SqliteOptions options) => Report(
        (string.IsNullOrWhiteSpace(options.Path), "Infera:Sqlite:Path must name the database file."));

    private static ValidateOptionsResult Report(params (bool Failed, string Message)[] checks)
    {
        var failures = checks.Where(c => c.Failed).Select(c => c.Message).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
