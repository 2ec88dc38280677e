"""A short "how to read this" text for a class, shown on the page."""

from __future__ import annotations

import solara

from ecosystem.spinup import SPINUP_MONTHS

#: The lesson's status-quo spin-up (the page always uses the default), in whole years.
SPINUP_YEARS = SPINUP_MONTHS // 12

HOW_TO_READ = f"""
<p><b>What you see.</b> A new medicine or medical technology starts as a discovery in a
university lab. To reach patients it must pass three stages: a <i>proof of concept</i> (does
the idea work?), a <i>pilot</i> (can it be made reliably, at scale, to medical standards?) and
<i>industrialisation</i> (factory, clinical trials, approval). Each month of the model, people
and organisations around the science city move projects along this chain, or drop them.</p>
<p><b>The map.</b> Each marker is an actor, each kind with its own shape and colour (see the
legend): universities (squares), hospitals (crosses), lead firms (diamonds), small firms and
start-ups (circles), venture capital (triangles), the guidance fund (a pentagon), banks
(bars) and pilot plants (stars and hexagons); researchers work at the universities. The round
dots with a dark rim are projects, coloured by stage, drawn where they are being worked on.
Hover over any marker to see who or what it is: for a project, who holds it, its stage, how
long it has been in its current step, the money it has raised and where it is piloted. The
map shows the chosen-policies world. The dashed blue
ring is the <i>one-hour circle</i>: places within an hour of the science city. Red dashed
lines are projects handed to a firm or factory <i>outside</i> the region, usually because
nobody nearby could do the work.</p>
<p><b>The gates.</b> The top row counts the projects that passed each gate since the
lesson's start: a proof of concept completed, a licence to a firm (or a start-up founded for
the project), a pilot passed, an entry into clinical trials, an approval, a launch on the
market. Below it the ticker names the latest ones. Early gates are passed every few months;
the market is rare, because the way there takes more than ten years and most projects stop
on the way, so a lesson may end without a market entry. The smaller cards show the market
figures: technologies that reached the market (“transfers”), how fast, and how much public
money each one cost.</p>
<p><b>Two worlds.</b> The lesson starts in a region that has been running for {SPINUP_YEARS} years
as it is today (the “status quo”), so projects are already on their way. From that moment two
copies of the same region run side by side: one stays the status quo, the other gets the
policies you choose. They make the same discoveries and meet the same luck, so what differs
between them is the policy’s doing. Every card shows both worlds (chosen policies large,
status quo below), counted from the lesson’s start. The transfers chart draws both worlds;
the ticker, the map and the other charts show the chosen-policies world: projects in each
stage, why projects stopped and what the government spent.</p>
<p><b>Try this.</b> Press ▶ to play, or Step for one month; the speed slider sets how many
months pass per step. Choose a scenario or switch a policy on in the sidebar: it acts from the
next month, so watch the two lines part. Press <b>Reset</b> to replay your choice from the
lesson’s start. One seed is one possible history: <i>Replay with other luck</i> runs the same
choice on five other seeds, so you see which differences are luck and which are policy. A new
seed gives a different, equally plausible history; the size slider makes the region smaller or
bigger. When the lesson ends, press Reset to start again.</p>
<p><b>The policies</b> (sidebar switches; the sources are the province's policy documents):</p>
<ul>
<li><i>Professor-CEO</i>: scientists may found a firm and keep their university post.</li>
<li><i>Validation teams</i>: a scientist, a business partner and an investor judge an idea
together before money is spent.</li>
<li><i>Milestone grants</i>: public proof-of-concept money paid in three parts as milestones
are met (sliders: the size of each part, in million RMB).</li>
<li><i>Pilot insurance</i>: insurance against a failed pilot; the province pays part of the
premium (slider: that share).</li>
<li><i>Pilot loans</i>: bank loans for pilots, guaranteed by the province.</li>
<li><i>Shared platforms</i>: university and company pilot plants open to outside projects.</li>
<li><i>Reverse commissioning</i>: firms collect hospitals' needs and commission research.</li>
<li><i>Data platform</i>: failures are recorded so later projects learn from them.</li>
<li><i>Review in sync</i>: regulators review alongside development, not after it.</li>
<li><i>Guidance fund</i>: the public fund invests more in innovative projects.</li>
<li><i>One-hour circle</i>: faster transport and matchmaking inside the ring (slider: its size
in minutes of travel).</li>
<li><i>Local CDMO</i>: contract manufacturing lines built in the region.</li>
<li><i>Research hospitals</i>: two hospitals are upgraded to run early trials and assess new
biotherapies, with more trial places.</li>
<li><i>Hospital listing</i>: hospitals consider new medicines every month, and insurance pays
part of a listed product's price.</li>
<li><i>Intermediaries</i>: go-betweens offer each finished proof of concept to more firms.</li>
<li><i>Enclave parks</i>: a partner park beyond the circle pilots and produces what the region
has no lines for (a teal triangle on the map).</li>
</ul>
<p><b>Remember.</b> This is a model: its numbers show how the parts of the chain interact,
not a forecast for any real city.</p>
"""


@solara.component
def HowToRead() -> None:
    """Show the text in a collapsible panel (plain HTML: Markdown would load extra scripts)."""
    with solara.Column(classes=["sc-help"], style={"padding": "0", "flex": "1 1 300px"}):
        solara.Details(
            "How to read this",
            children=[
                solara.HTML(tag="div", unsafe_innerHTML=HOW_TO_READ, style="font-size: 0.92em;")
            ],
        )
