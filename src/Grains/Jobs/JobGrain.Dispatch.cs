using System.Globalization;
using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Jobs;

/// <summary>Reserving nodes, dispatching to them, cancelling, and the per-assignment deadlines.</summary>
public sealed partial class JobGrain
{
    private Assignment? TryReserve(NodeGrain node, string role, string? replaces)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{Id}.{++_assignmentCounter}");
        var assignment = new Assignment(this, id, node, role, replaces, Now);
        if (!node.TryReserve(Request.Model, id, assignment))
        {
            return null;
        }

        _assignments.Add(assignment);
        return assignment;
    }

    /// <summary>Reserves a node this job has not used yet, to take the place of <paramref name="lost"/>.</summary>
    private Assignment? TryReserveReplacement(Assignment lost)
    {
        if (_replacementsLeft <= 0)
        {
            return null;
        }

        var used = _assignments.Select(a => a.Node.Address).ToHashSet();
        var live = _assignments.Where(a => a.Status != AssignmentStatuses.Failed).Select(a => a.Node).ToList();
        var operators = live.Select(n => n.Operator).ToHashSet(StringComparer.Ordinal);
        var subnets = live.Where(n => n.Subnet is not null).Select(n => n.Subnet!).ToHashSet(StringComparer.Ordinal);
        var candidates = _deps.Registry.Candidates(Request.Model, CandidateSample, _deps.Random).Where(n => !used.Contains(n.Address)).ToList();
        foreach (var node in NodeSelector.Rank(candidates, 1, operators, subnets, _deps.Random, Now))
        {
            if (TryReserve(node, AssignmentRoles.Replica, lost.Id) is { } replacement)
            {
                _replacementsLeft--;
                return replacement;
            }
        }

        return null;
    }

    /// <summary>
    /// When the outputs so far reach no majority and escalation is configured, dispatches more unused nodes (once) so
    /// the job can be judged again; true when it did.
    /// </summary>
    private async Task<bool> TryEscalateAsync()
    {
        var finished = _assignments.Where(a => a.Status == AssignmentStatuses.Completed).ToList();
        if (_escalated || _options.EscalationNodes <= 0 || finished.Count < 2 || _clientState == ClientState.Cancelled || Request.Canary?.TargetNode is not null)
        {
            return false;
        }

        var probe = await _deps.Verifier.VerifyAsync([.. finished.Select(InputOf)], new Verification.VerificationContext(Request.Model, Request.PromptKey, Id), CancellationToken.None);
        if (probe.Verified)
        {
            _judged = (finished.Count, probe); // settlement reuses it: the outputs are judged (and embedded) once
            return false;
        }

        _escalated = true;
        var added = new List<Assignment>();
        for (var i = 0; i < _options.EscalationNodes; i++)
        {
            var used = _assignments.Select(a => a.Node.Address).ToHashSet();
            var operators = _assignments.Select(a => a.Node.Operator).ToHashSet(StringComparer.Ordinal);
            var subnets = _assignments.Where(a => a.Node.Subnet is not null).Select(a => a.Node.Subnet!).ToHashSet(StringComparer.Ordinal);
            var candidates = _deps.Registry.Candidates(Request.Model, CandidateSample, _deps.Random).Where(n => !used.Contains(n.Address)).ToList();
            var next = NodeSelector.Rank(candidates, 1, operators, subnets, _deps.Random, Now)
                .Select(node => TryReserve(node, AssignmentRoles.Replica, replaces: null))
                .FirstOrDefault(a => a is not null);
            if (next is null)
            {
                break;
            }

            added.Add(next);
        }

        foreach (var assignment in added)
        {
            await SendDispatchAsync(assignment);
        }

        _redundancy += added.Count;
        ArmDeadline();
        return added.Count > 0;
    }

    private async ValueTask SendDispatchAsync(Assignment assignment)
    {
        try
        {
            await assignment.Node.SendAsync(
                new Dispatch(assignment.Id, Id, Request.Model, Request.Messages, Request.Sampling, FlushMsFor(assignment)),
                CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The link died under us; the signal arrives in a later turn like any other loss.
            assignment.OnFailed($"dispatch failed: {ex.Message}");
        }
    }

    /// <summary>Only the text streaming to the client is needed token by token; a replica's may come in batches.</summary>
    private int FlushMsFor(Assignment assignment) =>
        assignment == _streaming && !Request.WaitForVerification ? 0 : (int)_options.ReplicaFlushInterval.TotalMilliseconds;

    /// <summary>Tells a replica's agent that the client now reads its text, so it stops holding tokens back.</summary>
    private static async ValueTask SendPromoteAsync(Assignment assignment)
    {
        try
        {
            await assignment.Node.SendAsync(new Promote(assignment.Id), CancellationToken.None);
        }
        catch (Exception)
        {
            // The link died under us; the loss arrives as a signal like any other.
        }
    }

    private static async ValueTask SendCancelAsync(Assignment assignment)
    {
        try
        {
            await assignment.Node.SendAsync(new Cancel(assignment.Id), CancellationToken.None);
        }
        catch (Exception)
        {
            // Best effort: a node we cannot reach is not running our assignment for long.
        }
    }

    private void End(Assignment assignment, string status, string? error)
    {
        assignment.Status = status;
        assignment.Error = error;
        assignment.EndedAt = Now;
        assignment.Node.Release(assignment.Id);
    }

    private DateTimeOffset DeadlineOf(Assignment a) =>
        a.FirstTokenAt is null ? a.DispatchedAt + _options.FirstTokenTimeout : a.DispatchedAt + _options.AssignmentTimeout;

    /// <summary>Points the timer at the earliest deadline of a running assignment; touches it only when that moves.</summary>
    private void ArmDeadline()
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var a in _assignments)
        {
            if (a.IsRunning && DeadlineOf(a) < earliest)
            {
                earliest = DeadlineOf(a);
            }
        }

        if (earliest == _armedFor)
        {
            return;
        }

        _armedFor = earliest;
        var due = earliest == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : earliest - Now;
        _timer?.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }
}
