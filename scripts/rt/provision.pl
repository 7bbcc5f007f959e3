#!/usr/bin/perl
# Idempotent RT provisioning for ticketkit integration tests; run by start.sh as www-data.
#
#   env RT_ROOT_PASSWORD        root's password (set if it does not match or was hashed at another cost)
#       RT_TOKEN_CANDIDATE      root token from a previous run (kept if still valid)
#       RT_LIMITED_CANDIDATE    same for the unprivileged user
#
# - queues Support and Sales (created or re-enabled);
# - root's password;
# - exactly one auth token for root: the candidate if it is still valid and hashed at the current
#   BcryptCost, otherwise a fresh one; all other tokens of root are deleted (RT checks each token a
#   user owns with bcrypt on every request);
# - an unprivileged user "ticketkit-limited" (no rights at all; for 403 tests) with one token.
#
# Prints TOKEN=<root token> and LIMITED_TOKEN=<token> on stdout; diagnostics on stderr.
use strict;
use warnings;

use lib "/usr/local/share/request-tracker5/lib";
use lib "/usr/share/request-tracker5/lib";
use RT;

RT::LoadConfig();
RT->Config->Set(LogToSTDERR => 'error');    # no start-up chatter on the caller's terminal
RT::Init();
require RT::Authen::Token;

my $cost = RT->Config->Get('BcryptCost');

sub note { print STDERR "[rt/provision] @_\n" }

# "!bcrypt!04!..." -> 4 (undef for other/legacy hash forms)
sub hash_cost {
    my (undef, $method, $c) = split /!/, ($_[0] // '');
    return (defined $method && $method eq 'bcrypt') ? $c + 0 : undef;
}

# --- queues ---
for my $name (qw(Support Sales)) {
    my $q = RT::Queue->new(RT->SystemUser);
    $q->Load($name);
    if ($q->id) {
        if ($q->Disabled) {
            my ($ok, $msg) = $q->SetDisabled(0);
            die "re-enable queue $name: $msg\n" unless $ok;
            note("queue $name re-enabled");
        }
        next;
    }
    my ($id, $msg) = $q->Create(Name => $name, Description => "ticketkit integration tests");
    die "create queue $name: $msg\n" unless $id;
    note("queue $name created (id $id)");
}

# --- users ---
sub ensure_password {
    my ($user, $password) = @_;
    my $stored = $user->__Value('Password');
    my $c = hash_cost($stored);
    return if defined $c && $c == $cost && $user->IsPassword($password);
    my ($ok, $msg) = $user->SetPassword($password);
    die "set password of " . $user->Name . ": $msg\n" unless $ok;
    note("password of " . $user->Name . " set");
}

# Keep the candidate token if valid (and hashed at $cost), delete every other token of the user,
# create a fresh token if none is kept. Returns the auth string.
sub ensure_token {
    my ($user, $candidate) = @_;
    my ($cand_uid, $cand_clear) = $candidate ? RT::AuthToken->ParseAuthString($candidate) : ();
    my $usable = $cand_uid && $cand_uid == $user->id;

    my $tokens = RT::AuthTokens->new(RT->SystemUser);
    $tokens->LimitOwner(VALUE => $user->id);
    my $kept;
    while (my $t = $tokens->Next) {
        my $c = hash_cost($t->__Value('Token'));
        if (!$kept && $usable && defined $c && $c == $cost && $t->IsToken($cand_clear)) {
            $kept = $t;
            next;
        }
        my ($ok, $msg) = $t->Delete;
        die "delete token " . $t->id . ": $msg\n" unless $ok;
        note("deleted old token " . $t->id . " of " . $user->Name);
    }
    return $candidate if $kept;

    my $token = RT::AuthToken->new(RT->SystemUser);
    my ($id, $msg, $authstring) = $token->Create(Owner => $user->id, Description => 'ticketkit tests');
    die "create token for " . $user->Name . ": $msg\n" unless $id;
    note("created token $id for " . $user->Name);
    return $authstring;
}

my $root = RT::User->new(RT->SystemUser);
$root->Load('root');
die "user root not found\n" unless $root->id;
ensure_password($root, $ENV{RT_ROOT_PASSWORD} || 'ticketkit-root-pw');
my $root_token = ensure_token($root, $ENV{RT_TOKEN_CANDIDATE});

my $limited = RT::User->new(RT->SystemUser);
$limited->Load('ticketkit-limited');
unless ($limited->id) {
    my ($id, $msg) = $limited->Create(
        Name         => 'ticketkit-limited',
        EmailAddress => 'limited@example.test',
        RealName     => 'ticketkit limited user',
        Privileged   => 0,
    );
    die "create user ticketkit-limited: $msg\n" unless $id;
    note("user ticketkit-limited created (id $id)");
}
ensure_password($limited, 'ticketkit-limited-pw');
my $limited_token = ensure_token($limited, $ENV{RT_LIMITED_CANDIDATE});

print "TOKEN=$root_token\n";
print "LIMITED_TOKEN=$limited_token\n";
