"""The demo: a small, believable learning network to explore Practica with (``practica demo``).

Everyone here is invented. The *Sierra Foothills Learning Network* joins two districts; each
has a few schools, teachers, principals, a coach and a district administrator. Three
communities of practice show the product's range:

- *Secondary Math Collaborative* (Cedar Creek Unified, open to join): teachers trading tasks
  and student work across a high school and a middle school.
- *Early Literacy Learning Community* (Manzanita Valley, join by request): with one request
  still waiting for the coordinator.
- *Site Leaders Circle* (the network, private, invitation only): principals from both
  districts, each usually the only administrator on their campus, sharing successes and
  struggles; the facilitator role rotates. One newly appointed principal's invitation is open.

Every write goes through the services, exactly as if these people had clicked through the site,
so the demo also exercises the rules (who may create, approve, invite, change roles).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from practica.accounts import services as accounts
from practica.accounts.models import Organization, OrganizationKind, OrgRole, User
from practica.communities import services as communities
from practica.communities.models import Community, JoinPolicy, Role, Visibility

DEMO_PASSWORD = "practica-demo"
NETWORK_SLUG = "sierra-foothills"
LA = "America/Los_Angeles"


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    kind: str
    parent: str | None
    description: str
    members_can_create_communities: bool = True


@dataclass(frozen=True)
class PersonSpec:
    key: str
    name: str
    email: str
    title: str
    org: str | None  # slug; None for site staff who belong to no organization
    bio: str
    expertise: str = ""
    org_role: str = OrgRole.MEMBER
    timezone: str = LA
    staff: bool = False


@dataclass(frozen=True)
class CommunitySpec:
    slug: str
    name: str
    org: str
    coordinator: str  # person key; creates the community, so becomes its first coordinator
    domain: str
    purpose: str
    visibility: str
    join_policy: str
    members: tuple[tuple[str, str], ...]  # (person key, role), enrolled per the join policy
    pending_requests: tuple[tuple[str, str], ...] = ()  # (person key, message)
    pending_invitations: tuple[tuple[str, str], ...] = ()  # (person key, role)


ORGANIZATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(
        NETWORK_SLUG,
        "Sierra Foothills Learning Network",
        OrganizationKind.NETWORK,
        None,
        "Two foothill school districts that pool their professional learning: shared coaching, "
        "cross-district communities of practice, and a circle for the principals who lead "
        "schools with no other administrator on site.",
        # Network-wide communities reach every school, so only network admins start them.
        members_can_create_communities=False,
    ),
    OrgSpec(
        "cedar-creek-usd",
        "Cedar Creek Unified School District",
        OrganizationKind.DISTRICT,
        NETWORK_SLUG,
        "A TK-12 district of about 4,800 students serving three foothill towns.",
    ),
    OrgSpec(
        "cedar-creek-high",
        "Cedar Creek High School",
        OrganizationKind.SCHOOL,
        "cedar-creek-usd",
        "Comprehensive high school, grades 9-12.",
    ),
    OrgSpec(
        "granite-ridge-ms",
        "Granite Ridge Middle School",
        OrganizationKind.SCHOOL,
        "cedar-creek-usd",
        "Grades 6-8, with a robotics program and a strong intervention team.",
    ),
    OrgSpec(
        "willow-bend-es",
        "Willow Bend Elementary School",
        OrganizationKind.SCHOOL,
        "cedar-creek-usd",
        "TK-5 Spanish-English dual-immersion school.",
    ),
    OrgSpec(
        "manzanita-valley-sd",
        "Manzanita Valley School District",
        OrganizationKind.DISTRICT,
        NETWORK_SLUG,
        "A rural TK-12 district spread across a long valley; most of its schools have a single "
        "administrator.",
    ),
    OrgSpec(
        "manzanita-valley-high",
        "Manzanita Valley High School",
        OrganizationKind.SCHOOL,
        "manzanita-valley-sd",
        "The only high school for forty miles, with career technical pathways in agriculture "
        "and health.",
    ),
    OrgSpec(
        "quail-hollow-es",
        "Quail Hollow Elementary School",
        OrganizationKind.SCHOOL,
        "manzanita-valley-sd",
        "TK-5, about 380 students, many of them learning English.",
    ),
    OrgSpec(
        "sycamore-springs-es",
        "Sycamore Springs Elementary School",
        OrganizationKind.SCHOOL,
        "manzanita-valley-sd",
        "TK-5; opened its first transitional kindergarten class this year.",
    ),
)

PEOPLE: tuple[PersonSpec, ...] = (
    # --- The network and the site -------------------------------------------------------------
    PersonSpec(
        "renata",
        "Renata Okafor",
        "renata.okafor@sierrafoothills.test",
        "Network Coordinator",
        NETWORK_SLUG,
        "Former elementary principal. I coordinate the network's communities of practice and "
        "spend much of my week driving between our schools. My job is to connect people who are "
        "solving the same problem in different buildings.",
        "Communities of practice, Facilitation, Adult learning, Consultancy protocols",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "admin",
        "Practica Admin",
        "admin@practica.test",
        "Site administrator",
        None,
        "Keeps this Practica site running: accounts, organizations and settings.",
        staff=True,
    ),
    # --- Cedar Creek Unified ------------------------------------------------------------------
    PersonSpec(
        "thomas",
        "Thomas Whitfield",
        "thomas.whitfield@cedarcreek.test",
        "Assistant Superintendent, Educational Services",
        "cedar-creek-usd",
        "Twenty-two years in Cedar Creek as a teacher, a principal and now at the district "
        "office. I want our principals to have colleagues, not only a supervisor.",
        "Professional learning, Curriculum adoption, MTSS",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "priya",
        "Priya Raman",
        "priya.raman@cedarcreek.test",
        "Instructional Coach, Secondary Mathematics",
        "cedar-creek-usd",
        "I coach math teachers in grades 6-12 across Cedar Creek, partly on site and partly "
        "remotely from Colorado. Ask me about lesson study and low-floor, high-ceiling tasks.",
        "Instructional coaching, Lesson study, Number talks, Formative assessment",
        timezone="America/Denver",
    ),
    PersonSpec(
        "elena",
        "Elena Márquez",
        "elena.marquez@cedarcreek.test",
        "Principal",
        "cedar-creek-high",
        "Principal of Cedar Creek High for four years, after ten years teaching English. Most "
        "afternoons I am the only administrator on campus, which is exactly why I joined the "
        "Site Leaders Circle.",
        "Master scheduling, Teacher evaluation, School culture, Restorative practices",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "marcus",
        "Marcus Bell",
        "marcus.bell@cedarcreek.test",
        "Mathematics Teacher and Department Chair",
        "cedar-creek-high",
        "Fifteen years of Algebra II and AP Statistics. I started the math collaborative because "
        "our department meetings were all logistics and no teaching.",
        "Algebra, Statistics, Standards-based grading, Department leadership",
    ),
    PersonSpec(
        "hannah",
        "Hannah Liu",
        "hannah.liu@cedarcreek.test",
        "Mathematics Teacher, Algebra I",
        "cedar-creek-high",
        "Third-year teacher. My ninth graders taught me more about productive struggle than my "
        "credential program did. Always happy to share my warm-ups.",
        "Algebra I, Productive struggle, English learners in math",
    ),
    PersonSpec(
        "samuel",
        "Samuel Osei",
        "samuel.osei@cedarcreek.test",
        "Physics and Mathematics Teacher",
        "cedar-creek-high",
        "Civil engineer turned teacher. I bring real data into math class and will gladly help "
        "anyone build a modeling task.",
        "Mathematical modeling, Physics, Data science, Spreadsheets",
    ),
    PersonSpec(
        "grace",
        "Grace Kim",
        "grace.kim@cedarcreek.test",
        "Mathematics Teacher, Geometry",
        "cedar-creek-high",
        "First year in the classroom and in Cedar Creek. I am here to learn, and to borrow good "
        "ideas shamelessly.",
        "Geometry, Classroom routines",
    ),
    PersonSpec(
        "daniel",
        "Daniel Foster",
        "daniel.foster@cedarcreek.test",
        "Principal",
        "granite-ridge-ms",
        "I lead Granite Ridge, 520 students in grades 6-8. Before the Circle I had never talked "
        "honestly with another principal about a bad week.",
        "Middle school transitions, Attendance, Family engagement",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "aisha",
        "Aisha Rahman",
        "aisha.rahman@cedarcreek.test",
        "Mathematics Teacher, Grades 7-8",
        "granite-ridge-ms",
        "I teach seventh and eighth grade math and co-teach an intervention section with our "
        "special education team.",
        "Proportional reasoning, Number talks, Co-teaching",
    ),
    PersonSpec(
        "kevin",
        "Kevin Tran",
        "kevin.tran@cedarcreek.test",
        "Mathematics Teacher, Grade 6",
        "granite-ridge-ms",
        "Sixth grade math by day, the after-school robotics club by late afternoon.",
        "Fractions, Math games, Robotics",
    ),
    PersonSpec(
        "lucia",
        "Lucía Herrera",
        "lucia.herrera@cedarcreek.test",
        "Principal",
        "willow-bend-es",
        "Principal at Willow Bend, our dual-immersion elementary school. I taught bilingual "
        "kindergarten for nine years before that.",
        "Bilingual education, Early literacy, Family engagement",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "megan",
        "Megan O'Connell",
        "megan.oconnell@cedarcreek.test",
        "Kindergarten Teacher",
        "willow-bend-es",
        "Twelve years of kindergarten. I am curious how play and explicit phonics instruction "
        "can share a morning.",
        "Play-based learning, Phonological awareness",
    ),
    # --- Manzanita Valley ---------------------------------------------------------------------
    PersonSpec(
        "carol",
        "Carol Jennings",
        "carol.jennings@manzanita.test",
        "Director of Curriculum and Instruction",
        "manzanita-valley-sd",
        "I support teaching and learning across Manzanita Valley's schools, which in a district "
        "our size also means driving the van to trainings.",
        "Curriculum mapping, Assessment, Grant writing",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "jasmine",
        "Jasmine Ortiz",
        "jasmine.ortiz@manzanita.test",
        "District Literacy Coach, TK-3",
        "manzanita-valley-sd",
        "Former first-grade teacher, now coaching TK-3 teachers across the district. I believe "
        "the best professional development is a colleague's classroom.",
        "Early literacy, Structured literacy, Phonics, Instructional coaching, Running records",
    ),
    PersonSpec(
        "robert",
        "Robert Nakamura",
        "robert.nakamura@manzanita.test",
        "Principal",
        "manzanita-valley-high",
        "Principal of Manzanita Valley High. In the Circle I share my failures before my "
        "successes; it saves everyone time.",
        "Career technical education, Graduation rates, Scheduling",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "angela",
        "Angela Brooks",
        "angela.brooks@manzanita.test",
        "Principal",
        "quail-hollow-es",
        "Second year leading Quail Hollow, where I am also the testing coordinator, the lunch "
        "supervisor and the counselor's backup.",
        "Instructional leadership, Data teams, Early literacy",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "sofia",
        "Sofía Alvarez",
        "sofia.alvarez@manzanita.test",
        "First Grade Teacher",
        "quail-hollow-es",
        "Eleven years in first grade. I keep a shared folder of decodable readers I wrote for my "
        "students; help yourself.",
        "Phonics, Decodable texts, Small-group instruction",
    ),
    PersonSpec(
        "tyler",
        "Tyler Greene",
        "tyler.greene@manzanita.test",
        "Kindergarten Teacher",
        "quail-hollow-es",
        "Kindergarten teacher and former preschool director. Most of our learning happens "
        "outdoors when the weather lets us.",
        "Phonemic awareness, Outdoor learning",
    ),
    PersonSpec(
        "nadia",
        "Nadia Petrova",
        "nadia.petrova@manzanita.test",
        "Second Grade Teacher, English Language Development Lead",
        "quail-hollow-es",
        "I teach second grade and lead our school's ELD planning. My students speak six home "
        "languages between them.",
        "English language development, Oral language, Vocabulary",
    ),
    PersonSpec(
        "ruth",
        "Ruth Castillo",
        "ruth.castillo@manzanita.test",
        "Reading Intervention Specialist",
        "quail-hollow-es",
        "I work with small groups of readers who need more time. Happy to look at assessment "
        "data with anyone who asks.",
        "Reading intervention, Dyslexia screening, Running records, Structured literacy",
    ),
    PersonSpec(
        "michael",
        "Michael Chen",
        "michael.chen@manzanita.test",
        "Principal (new this year)",
        "sycamore-springs-es",
        "Newly appointed at Sycamore Springs after eight years as a special education teacher "
        "and two as an assistant principal. Looking for colleagues who have done this before.",
        "Special education, Inclusive practices",
        org_role=OrgRole.ADMIN,
    ),
    PersonSpec(
        "emily",
        "Emily Sato",
        "emily.sato@manzanita.test",
        "Transitional Kindergarten Teacher",
        "sycamore-springs-es",
        "Moving from fifth grade to our brand-new TK classroom this year, so I am a beginner "
        "again, and glad of it.",
        "Social-emotional learning, Early childhood",
    ),
    PersonSpec(
        "brianna",
        "Brianna Walsh",
        "brianna.walsh@manzanita.test",
        "Second Grade Teacher",
        "sycamore-springs-es",
        "Second grade teacher with an overflowing classroom library and a weakness for "
        "read-alouds with funny voices.",
        "Read-alouds, Classroom libraries",
    ),
)

COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        slug="secondary-math",
        name="Secondary Math Collaborative",
        org="cedar-creek-usd",
        coordinator="marcus",
        domain="Teaching mathematics in grades 6-12 so that every student reasons, not only "
        "computes.",
        purpose="Math teachers from Cedar Creek High and Granite Ridge Middle meet every other "
        "Thursday and keep the conversation going here between meetings. We bring student "
        "work, try each other's tasks and run short lesson-study cycles, so that what one of us "
        "figures out in a classroom does not stay in that classroom. New teachers are especially "
        "welcome: no question is too small.",
        visibility=Visibility.ORGANIZATION,
        join_policy=JoinPolicy.OPEN,
        members=(
            ("priya", Role.FACILITATOR),
            ("samuel", Role.EXPERT),
            ("aisha", Role.MODERATOR),
            ("hannah", Role.MEMBER),
            ("grace", Role.MEMBER),
            ("kevin", Role.MEMBER),
        ),
    ),
    CommunitySpec(
        slug="early-literacy",
        name="Early Literacy Learning Community",
        org="manzanita-valley-sd",
        coordinator="jasmine",
        domain="Helping every child in TK-3 become a confident, joyful reader.",
        purpose="TK-3 teachers, intervention staff and coaches across Manzanita Valley, sharing "
        "what works as we move to structured literacy: phonics routines, decodable texts, oral "
        "language for English learners, and reading our assessment data together. We keep the "
        "group to people who teach early reading, so the coordinator approves each request to "
        "join.",
        visibility=Visibility.ORGANIZATION,
        join_policy=JoinPolicy.REQUEST,
        members=(
            ("nadia", Role.FACILITATOR),
            ("sofia", Role.EXPERT),
            ("ruth", Role.EXPERT),
            ("tyler", Role.MODERATOR),
            ("brianna", Role.MEMBER),
            ("angela", Role.MEMBER),
        ),
        pending_requests=(
            (
                "emily",
                "I am moving from fifth grade to our new TK class this fall and would love to "
                "learn how you teach phonological awareness to four-year-olds.",
            ),
        ),
    ),
    CommunitySpec(
        slug="site-leaders-circle",
        name="Site Leaders Circle",
        org=NETWORK_SLUG,
        coordinator="renata",
        domain="Leading a school when you are the only administrator on site.",
        purpose="Most of our principals are the only administrator in their building, with no "
        "peer down the hall to think out loud with. The Site Leaders Circle brings principals "
        "from both districts together to share successes and challenges honestly, away from "
        "evaluation. Each month one of us brings a real problem of practice to a consultancy "
        "protocol while the others listen, ask and offer. The facilitator role rotates every "
        "meeting, and we revisit the norms we wrote together at the start of each term. We "
        "learn reciprocally and as a whole: a win at one school becomes a strategy for all of "
        "them. What is shared in the Circle stays in the Circle.",
        # Private because candor needs it: not even org admins (the principals' supervisors)
        # see inside unless they are members.
        visibility=Visibility.PRIVATE,
        join_policy=JoinPolicy.INVITE,
        members=(
            ("elena", Role.FACILITATOR),  # this term's facilitator; the role rotates
            ("robert", Role.MODERATOR),
            ("daniel", Role.MEMBER),
            ("lucia", Role.MEMBER),
            ("angela", Role.MEMBER),
        ),
        pending_invitations=(("michael", Role.MEMBER),),
    ),
)

DEMO_LOGINS: list[tuple[str, str]] = [
    (
        "hannah.liu@cedarcreek.test",
        "Teacher: Algebra I at Cedar Creek High, in the Secondary Math Collaborative",
    ),
    (
        "elena.marquez@cedarcreek.test",
        "Principal: Cedar Creek High, this term's facilitator of the Site Leaders Circle",
    ),
    (
        "jasmine.ortiz@manzanita.test",
        "Literacy coach: coordinates Early Literacy, with a join request to decide",
    ),
    (
        "thomas.whitfield@cedarcreek.test",
        "District admin: Cedar Creek Unified and its three schools",
    ),
    ("admin@practica.test", "Site staff: sees and administers everything"),
]


def is_loaded() -> bool:
    """True when the demo network exists (the marker ``load_demo`` checks)."""
    return Organization.objects.filter(slug=NETWORK_SLUG).exists()


def load_demo() -> bool:
    """Create the demo once. Returns True if it was created, False (writing nothing) if it
    was already there. All or nothing: if a demo e-mail or URL name is already taken by real
    data, the service's Conflict propagates and nothing is kept."""
    if is_loaded():
        return False
    with transaction.atomic():
        orgs = _create_organizations()
        people = {spec.key: _create_person(spec, orgs) for spec in PEOPLE}
        for spec in COMMUNITIES:
            _create_community(spec, orgs, people)
        _load_practice()
        _load_features()
    return True


def _load_practice() -> None:
    """Norms, adapted activities and meetings for the demo communities (each feature's own
    demo module; meetings last, so openers can pick from the adapted activities)."""
    from practica.practice.activities.demo import load_demo_activities
    from practica.practice.meetings.demo import load_demo_meetings
    from practica.practice.norms.demo import load_demo_norms

    load_demo_activities()
    load_demo_norms()
    load_demo_meetings()


def _load_features() -> None:
    """Q&A, expertise, wiki, resources, recognition and consultancy demos, in dependency order
    (questions before the experts they route to and the pages promoted from their answers)."""
    from practica.expertise import demo as expertise
    from practica.practice.coaching import demo as coaching
    from practica.practice.consultancy import demo as consultancy
    from practica.practice.feedback import demo as feedback
    from practica.qa import demo as qa
    from practica.recognition import demo as recognition
    from practica.resources import demo as resources
    from practica.wiki import demo as wiki

    features = (qa, expertise, wiki, resources, consultancy, feedback, coaching, recognition)
    for feature in features:
        feature.load_demo()


def login_lines() -> list[str]:
    """The demo logins and the shared password, ready to print."""
    width = max(len(email) for email, _ in DEMO_LOGINS)
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {email:<{width}}  {description}" for email, description in DEMO_LOGINS]
    return lines


def _create_organizations() -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:  # parents come before their children
        orgs[spec.slug] = accounts.create_organization(
            None,
            name=spec.name,
            slug=spec.slug,
            kind=spec.kind,
            parent=orgs[spec.parent] if spec.parent else None,
            description=spec.description,
            members_can_create_communities=spec.members_can_create_communities,
        )
    return orgs


def _create_person(spec: PersonSpec, orgs: dict[str, Organization]) -> User:
    user = accounts.create_user(
        spec.email, DEMO_PASSWORD, name=spec.name, is_staff=spec.staff, verified=True
    )
    accounts.update_profile(
        user,
        name=spec.name,
        title=spec.title,
        bio=spec.bio,
        timezone_name=spec.timezone,
        expertise=spec.expertise,
    )
    if spec.org is not None:
        accounts.add_org_member(orgs[spec.org], user, spec.org_role)
    return user


def _create_community(
    spec: CommunitySpec, orgs: dict[str, Organization], people: dict[str, User]
) -> Community:
    coordinator = people[spec.coordinator]
    community = communities.create_community(
        coordinator,
        orgs[spec.org],
        name=spec.name,
        slug=spec.slug,
        domain=spec.domain,
        purpose=spec.purpose,
        visibility=spec.visibility,
        join_policy=spec.join_policy,
    )
    for key, role in spec.members:
        _enrol(community, coordinator, people[key], role)
    for key, message in spec.pending_requests:
        communities.request_to_join(people[key], community, message)
    for key, role in spec.pending_invitations:
        communities.invite_to_community(coordinator, community, people[key].email, role)
    return community


def _enrol(community: Community, coordinator: User, person: User, role: str) -> None:
    """Bring ``person`` in the way the community's join policy asks, then give them ``role``."""
    if community.join_policy == JoinPolicy.INVITE:
        invitation = communities.invite_to_community(coordinator, community, person.email, role)
        communities.respond_to_invitation(person, invitation, accept=True)
        return
    if community.join_policy == JoinPolicy.REQUEST:
        request = communities.request_to_join(person, community)
        communities.decide_join_request(coordinator, request, approve=True)
    else:
        communities.join_community(person, community)
    if role != Role.MEMBER:
        communities.change_member_role(coordinator, community, person, role)
