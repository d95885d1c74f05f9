using Infera.Nodes;
using Infera.Reputation;
using Infera.Storage;
using Infera.Telemetry;
using Infera.Trust;
using Infera.Verification;
using Microsoft.Extensions.Logging;

namespace Infera.Jobs;

/// <summary>What every job grain of a silo shares.</summary>
internal sealed record JobDependencies(
    NodeRegistry Registry,
    VerifierGrain Verifier,
    ReputationGrains Reputation,
    ModelSpeedNorms SpeedNorms,
    IJobStore Store,
    JobOptions Options,
    TimeProvider Clock,
    Random Random,
    ILogger Logger,
    Action<JobGrain> OnEnded,
    JobInstruments? Instruments = null);
