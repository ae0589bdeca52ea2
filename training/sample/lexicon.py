"""Vocabulary of the sample generator: per-niche words, caption templates, names and places (data only)."""

from __future__ import annotations

from typing import TypedDict

NICHES: tuple[str, ...] = (
    "vegan_food", "baking", "coffee", "fitness", "running", "yoga", "skincare", "makeup",
    "sustainable_fashion", "streetwear", "hiking_camping", "cycling", "travel", "parenting", "pets",
    "home_decor", "gardening", "diy_crafts", "personal_finance", "tech_gadgets", "gaming", "photography",
    "books", "zero_waste",
)


class NicheVocab(TypedDict):
    """Words for one niche: caption building blocks, profile pieces and brand pieces."""

    topics: tuple[str, ...]
    activities: tuple[str, ...]
    descriptors: tuple[str, ...]
    hashtags: tuple[str, ...]
    handle_words: tuple[str, ...]
    bio_lines: tuple[str, ...]
    categories: tuple[str, ...]
    brand_stems: tuple[str, ...]
    products: tuple[str, ...]
    audiences: tuple[str, ...]
    values: tuple[str, ...]
    emoji: tuple[str, ...]


# Topics are noun phrases, activities are gerunds that take a topic as object, descriptors are adjectives.
NICHE_VOCAB: dict[str, NicheVocab] = {
    "vegan_food": {
        "topics": (
            "lentil curry", "chickpea salad", "tofu scramble", "tempeh tacos", "oat milk lattes",
            "cashew cheese", "jackfruit sliders", "buddha bowls", "miso ramen", "black bean burgers",
            "seitan skewers", "coconut yogurt", "overnight oats", "cauliflower wings", "mushroom stroganoff",
            "vegan mac and cheese", "sweet potato chili", "peanut noodles", "falafel wraps",
            "hummus platters", "aquafaba meringues", "plant-based protein", "nutritional yeast",
            "green smoothies", "date energy balls", "lentil bolognese", "vegan brownies", "smoky carrot lox",
            "tofu katsu", "chana masala", "mushroom jerky", "vegan pesto", "quinoa salad",
            "banana nice cream", "plant-based meal prep", "vegan sushi rolls", "red lentil dal",
            "tahini dressing", "vegan pancakes", "walnut taco meat", "coconut curry", "roasted veggie trays",
            "beet burgers",
        ),
        "activities": (
            "cooking", "meal prepping", "whipping up", "veganizing", "testing", "simmering", "marinating",
            "roasting", "blending", "plating", "batch cooking", "making", "tweaking", "serving", "packing",
            "recreating", "sharing", "perfecting", "throwing together", "fermenting", "air frying",
            "prepping",
        ),
        "descriptors": (
            "creamy", "protein-packed", "cozy", "zesty", "crispy", "dairy-free", "smoky", "one-pot",
            "budget-friendly", "high-protein", "wholesome", "oil-free", "nourishing", "15-minute", "spicy",
            "colourful", "plant-powered", "fluffy", "hearty", "gluten-free", "tangy", "cheesy (but vegan)",
        ),
        "hashtags": (
            "#vegan", "#veganfood", "#plantbased", "#veganrecipes", "#whatveganseat", "#veganfoodshare",
            "#plantbaseddiet", "#veganeats", "#govegan", "#veganlife", "#crueltyfree", "#vegandinner",
            "#veganlunch", "#veganbreakfast", "#plantpowered", "#meatlessmonday", "#veganmealprep",
            "#dairyfree", "#vegancommunity", "#veganprotein", "#eatplants", "#veganbowl", "#veganfoodie",
            "#plantbasedrecipes", "#veganuary", "#healthyvegan", "#vegancomfortfood", "#tofu",
        ),
        "handle_words": (
            "plantplate", "veggiekitchen", "greenbowl", "tofutales", "lentillove", "plantpowered",
            "sproutandspoon", "chickpeachef", "oatsandgreens", "herbivore",
        ),
        "bio_lines": (
            "Plant-based recipes for busy people", "Vegan since 2016 🌱", "Easy vegan dinners under 30 min",
            "Cookbook author | plant-based chef", "High-protein vegan meal prep", "Recipes on the blog 👇",
            "Feeding a family of 4 on plants", "Tofu evangelist",
        ),
        "categories": ("Vegan", "Food & Drink", "Recipes", "Plant-based"),
        "brand_stems": ("Sprout", "Green", "Oat", "Lentil", "Leaf", "Bean", "Tofu", "Root"),
        "products": (
            "plant-based protein powder", "oat milk barista blend", "ready-to-cook tofu",
            "vegan cheese wheels", "chickpea pasta", "plant-based meal kits", "cashew-based spreads",
            "vegan jerky snacks",
        ),
        "audiences": (
            "vegans and flexitarians who cook at home", "people cutting down on meat",
            "busy plant-based families", "gym-goers looking for plant protein",
            "students eating vegan on a budget", "curious omnivores trying Meatless Monday",
        ),
        "values": (
            "We believe plant-based food should taste incredible and cost less than meat.",
            "Every product is 100% vegan, cruelty-free and made with whole ingredients.",
            "We want to make eating plants the easy default at every dinner table.",
            "Our recipes are developed by plant-based chefs, never in a lab.",
            "We source legumes from regenerative farms and pay farmers fairly.",
            "Good food for people, animals and the planet.",
        ),
        "emoji": ("🌱", "🥑", "🥗", "🌿", "🍠", "💚"),
    },
    "baking": {
        "topics": (
            "sourdough boule", "focaccia", "cinnamon rolls", "croissants", "banana bread",
            "lemon drizzle cake", "chocolate chip cookies", "brioche buns", "baguettes", "apple pie",
            "pain au chocolat", "carrot cake", "macarons", "babka", "pumpkin loaf", "bagels",
            "blueberry muffins", "cheesecake", "shortbread", "pretzels", "choux buns", "lemon tart",
            "victoria sponge", "rye bread", "sourdough starter", "fruit scones", "brownies", "layer cakes",
            "pavlova", "hot cross buns", "galettes", "sticky toffee pudding", "naan", "english muffins",
            "cupcakes", "swiss rolls", "pecan pie", "danish pastries", "ciabatta", "buttercream flowers",
            "gingerbread", "olive oil cake",
        ),
        "activities": (
            "baking", "proofing", "shaping", "scoring", "laminating", "kneading", "piping", "glazing",
            "decorating", "testing", "feeding", "rolling out", "frosting", "braiding", "rescuing",
            "perfecting", "tweaking", "batch baking", "practising", "troubleshooting", "slicing into",
            "taste-testing",
        ),
        "descriptors": (
            "flaky", "golden", "crackly", "pillowy", "buttery", "fudgy", "gooey", "crusty", "airy", "tangy",
            "caramelised", "light", "moist", "chewy", "tender", "open-crumb", "glossy", "rustic", "zesty",
            "cozy", "spiced", "melt-in-your-mouth",
        ),
        "hashtags": (
            "#baking", "#sourdough", "#homebaking", "#bakersofinstagram", "#breadbaking", "#sourdoughbread",
            "#realbread", "#bakingfromscratch", "#cakedecorating", "#pastry", "#homebaker", "#bakingday",
            "#instabake", "#breadmaking", "#cookies", "#foodblogger", "#bakeoff", "#patisserie", "#wildyeast",
            "#crumbshot", "#bakinglove", "#cakesofinstagram", "#bakingtherapy", "#dessert", "#viennoiserie",
            "#bread", "#cake", "#bakeitforward",
        ),
        "handle_words": (
            "bakes", "crumbshot", "doughdiaries", "floursack", "ovenlight", "proofedit", "rollingpin",
            "butterandcrumb", "loafnotes", "sugarandstarter",
        ),
        "bio_lines": (
            "Home baker | sourdough nerd 🍞", "Recipes that actually work", "Cake decorator in training",
            "Self-taught pastry chef", "Bake-off contestant '22", "Weekly bread classes ↓",
            "Butter is my love language", "Feeding a starter named Doughlene",
        ),
        "categories": ("Baker", "Food & Drink", "Recipes", "Bakery"),
        "brand_stems": ("Crumb", "Rise", "Proof", "Hearth", "Flour", "Loaf", "Whisk", "Butter"),
        "products": (
            "stoneground bread flour", "sourdough starter kits", "banneton proofing baskets",
            "non-stick bakeware", "cultured baking butter", "stand mixers", "pastry tools",
            "dutch ovens for bread",
        ),
        "audiences": (
            "home bakers and weekend bread nerds", "beginner bakers learning sourdough",
            "cake decorators and small bakeries", "families who bake together", "pastry enthusiasts",
            "people who bake to relax",
        ),
        "values": (
            "We think real bread takes time, good flour and nothing artificial.",
            "We mill heritage grains from small farms and label every batch.",
            "Baking should be joyful, not intimidating, so every kit comes with a tested recipe.",
            "Our tools are made to last a lifetime of bakes.",
            "We support local bakeries and home bakers alike.",
            "Slow fermentation, simple ingredients, honest baking.",
        ),
        "emoji": ("🍞", "🥐", "🧁", "🍰", "🥖", "🍪"),
    },
    "coffee": {
        "topics": (
            "flat whites", "pour-over", "cold brew", "espresso shots", "oat lattes", "V60 recipes",
            "AeroPress brews", "light roast beans", "single-origin Ethiopian", "latte art", "cortados",
            "home espresso setups", "burr grinders", "moka pots", "french press", "iced lattes",
            "cappuccinos", "dirty chai", "espresso tonics", "Colombian beans", "decaf", "cupping sessions",
            "milk frothing", "coffee scales", "gooseneck kettles", "cafe hopping", "specialty cafes",
            "bean subscriptions", "espresso martinis", "cascara", "Kenyan roasts", "chemex brews",
            "siphon coffee", "honey-processed beans", "natural process coffee", "matcha lattes", "shakeratos",
            "affogato", "brew ratios", "grind settings", "portafilters", "cold foam",
        ),
        "activities": (
            "brewing", "dialing in", "pulling", "steaming", "pouring", "tasting", "grinding", "roasting",
            "testing", "comparing", "sipping", "frothing", "cupping", "perfecting", "timing", "weighing",
            "reviewing", "upgrading", "unboxing", "practising", "tamping", "experimenting with",
        ),
        "descriptors": (
            "silky", "fruity", "chocolatey", "bright", "nutty", "balanced", "velvety", "bold", "jammy",
            "smooth", "floral", "rich", "caramel-sweet", "syrupy", "clean", "crisp", "strong", "mellow",
            "juicy", "freshly roasted", "perfectly extracted", "bittersweet",
        ),
        "hashtags": (
            "#coffee", "#coffeelover", "#specialtycoffee", "#latteart", "#espresso", "#coffeetime",
            "#baristalife", "#homebarista", "#pourover", "#coldbrew", "#coffeeaddict", "#thirdwavecoffee",
            "#v60", "#aeropress", "#coffeegram", "#flatwhite", "#coffeeshop", "#butfirstcoffee",
            "#coffeebreak", "#cafehopping", "#coffeeroaster", "#manualbrew", "#coffeesetup",
            "#espressoathome", "#coffeeculture", "#coffeegeek", "#morningbrew", "#icedlatte",
        ),
        "handle_words": (
            "espressoself", "latteloops", "brewdiaries", "beanscene", "cremaclub", "pourovers",
            "groundsforjoy", "flatwhitefiend", "cortadocorner", "morningbrew",
        ),
        "bio_lines": (
            "Home barista | espresso obsessive ☕", "Ex-barista, forever caffeinated",
            "Latte art every morning", "Brew guides & cafe reviews", "Q-grader in training",
            "Dialing in one shot at a time", "Cafe hopper across Europe", "Slow mornings, strong coffee",
        ),
        "categories": ("Coffee", "Food & Drink", "Barista", "Cafe"),
        "brand_stems": ("Crema", "Bean", "Roast", "Brew", "Grind", "Pour", "Ember", "Drip"),
        "products": (
            "specialty coffee beans", "burr grinders", "home espresso machines", "pour-over kettles",
            "cold brew concentrate", "oat barista milk", "coffee subscriptions", "travel coffee presses",
        ),
        "audiences": (
            "home baristas and specialty coffee fans", "busy professionals who love a good latte",
            "students who run on cold brew", "cafe owners and baristas",
            "people upgrading from pods to fresh beans", "latte art learners",
        ),
        "values": (
            "We pay farmers well above fair-trade prices and publish every contract.",
            "Coffee should be traceable from the farm to your cup.",
            "We roast in small batches so every bag is fresh.",
            "Great coffee at home should not require a barista course.",
            "We plant a tree for every coffee subscription.", "Transparency, freshness and flavour first.",
        ),
        "emoji": ("☕", "🫘", "🥛", "✨", "🤎", "🌅"),
    },
    "fitness": {
        "topics": (
            "leg day", "deadlifts", "squats", "hypertrophy training", "progressive overload", "HIIT workouts",
            "kettlebell flows", "pull-up progressions", "glute workouts", "upper body days",
            "home gym setups", "protein shakes", "macro tracking", "high-protein meal prep", "cutting phases",
            "bulking season", "core workouts", "bench press PRs", "resistance bands", "dumbbell circuits",
            "push-pull-legs splits", "rest days", "creatine", "gym playlists", "cardio sessions",
            "calisthenics", "hip thrusts", "full body workouts", "EMOM workouts", "training splits",
            "body recomposition", "posture fixes", "deload weeks", "gym bag essentials", "pre-workout snacks",
            "step counts", "fat loss", "muscle gain", "barbell rows", "shoulder presses",
            "Romanian deadlifts", "sled pushes",
        ),
        "activities": (
            "crushing", "smashing", "programming", "testing", "hitting", "training", "tracking", "logging",
            "repping out", "finishing", "starting", "mastering", "fixing", "trying", "breaking down",
            "planning", "prepping", "warming up for", "recovering from", "grinding through", "filming",
            "sharing",
        ),
        "descriptors": (
            "brutal", "sweaty", "strong", "quick", "effective", "beginner-friendly", "20-minute",
            "no-equipment", "heavy", "explosive", "sustainable", "intense", "killer", "full-body",
            "progressive", "science-based", "high-rep", "low-impact", "fun", "challenging", "realistic",
            "gym-free",
        ),
        "hashtags": (
            "#fitness", "#gym", "#workout", "#fitnessmotivation", "#fitfam", "#gymlife", "#training",
            "#legday", "#strengthtraining", "#bodybuilding", "#homeworkout", "#fitnessjourney",
            "#gymmotivation", "#personaltrainer", "#fitspo", "#hiit", "#powerlifting", "#glutes",
            "#weightloss", "#healthylifestyle", "#noexcuses", "#fitover30", "#protein", "#crossfit",
            "#fitlife", "#gains", "#deadlift", "#progressiveoverload",
        ),
        "handle_words": (
            "liftswith", "gymdiaries", "strongher", "repsandrest", "barbellbabe", "fitwith", "ironmind",
            "squatqueen", "getfit", "dumbbelldad",
        ),
        "bio_lines": (
            "Online coach | 300+ clients transformed", "NASM certified PT 💪",
            "Strength training for busy women", "Lost 30kg, now helping you", "Free programs in link",
            "Powerlifter | 200kg deadlift", "Gym rat since 2014", "Science-based training tips",
        ),
        "categories": ("Fitness", "Personal Trainer", "Health & Wellness", "Gym"),
        "brand_stems": ("Iron", "Rep", "Core", "Lift", "Pulse", "Forge", "Strong", "Titan"),
        "products": (
            "whey protein powder", "adjustable dumbbells", "gym leggings", "pre-workout drinks",
            "resistance bands", "fitness tracking apps", "lifting belts", "home gym racks",
        ),
        "audiences": (
            "gym-goers building strength", "women starting strength training",
            "busy parents working out at home", "beginners on their first program", "athletes chasing PRs",
            "people on a fat loss journey",
        ),
        "values": (
            "Strength is for everyone, at every age and size.",
            "We never use fillers or proprietary blends: every dose is on the label.",
            "We build gym gear that survives years of heavy training.",
            "Fitness should fit your life, not take it over.",
            "Every workout program is written by certified coaches.", "Progress over perfection, always.",
        ),
        "emoji": ("💪", "🏋️", "🔥", "⚡", "🥵", "🏆"),
    },
    "running": {
        "topics": (
            "long runs", "tempo runs", "interval sessions", "marathon training", "half marathon PBs",
            "5k races", "trail runs", "easy miles", "race day", "running shoes", "carbon plates",
            "hill repeats", "parkrun", "negative splits", "fartlek sessions", "recovery runs",
            "marathon taper", "running form", "track workouts", "ultra training", "race bibs", "running gels",
            "GPS watches", "base building", "sub-3 marathon", "10k PBs", "running club", "shin splints",
            "strides", "threshold runs", "running vests", "sunrise runs", "city marathons",
            "treadmill sessions", "race recaps", "weekly mileage", "taper tantrums", "Berlin marathon",
            "Boston qualifiers", "trail ultras", "easy pace", "heat training",
        ),
        "activities": (
            "running", "chasing", "logging", "pacing", "training for", "racing", "smashing", "tapering for",
            "recovering from", "nailing", "building up to", "testing", "breaking in", "planning", "finishing",
            "surviving", "crushing", "reviewing", "prepping for", "fuelling", "grinding out", "coaching",
        ),
        "descriptors": (
            "easy", "sweaty", "hilly", "windy", "speedy", "steady", "muddy", "brutal", "early-morning",
            "long", "fast", "slow", "controlled", "comfortable", "rainy", "sunny", "tough", "negative-split",
            "smooth", "lung-busting", "scenic", "wobbly",
        ),
        "hashtags": (
            "#running", "#runner", "#marathon", "#runnersofinstagram", "#trailrunning", "#halfmarathon",
            "#runningcommunity", "#instarunners", "#marathontraining", "#runhappy", "#strava", "#parkrun",
            "#runningmotivation", "#ultrarunning", "#5k", "#10k", "#longrun", "#runchat", "#womensrunning",
            "#runninglife", "#roadrunning", "#trailrunner", "#runtoinspire", "#runningshoes", "#pb",
            "#racerecap", "#sub3", "#runners",
        ),
        "handle_words": (
            "runner", "milesby", "trailrunner", "runswith", "paceandplace", "splitsandsweat", "longrunlove",
            "stridesby", "kmcollector", "finishlinefeels",
        ),
        "bio_lines": (
            "Marathoner & run coach | sub-3 in Berlin | plans in link", "Chasing a BQ 🏃‍♀️",
            "Ultra runner | 100 miles done", "From couch to marathon", "Run coach (UESCA)", "Parkrun regular",
            "Trail miles > road miles", "Running my way through every city marathon",
        ),
        "categories": ("Running", "Sports", "Athlete", "Coach"),
        "brand_stems": ("Stride", "Pace", "Mile", "Tempo", "Trail", "Split", "Sprint", "Kip"),
        "products": (
            "carbon-plated racing shoes", "running gels", "GPS running watches", "trail running vests",
            "compression socks", "running apps", "electrolyte tabs", "reflective running jackets",
        ),
        "audiences": (
            "marathon runners chasing PBs", "beginner runners doing couch to 5k", "trail and ultra runners",
            "run clubs and parkrunners", "women who run before work", "triathletes in their run block",
        ),
        "values": (
            "Every runner deserves gear tested over thousands of real miles.",
            "We make running fuel from real food, not chemicals.",
            "From first 5k to ultra, we coach runners of all paces.",
            "We build running shoes to be resoled and recycled, not binned.",
            "Running should feel free, so our gear gets out of the way.",
            "Community first: we sponsor local run clubs.",
        ),
        "emoji": ("🏃", "🏃‍♀️", "👟", "🏅", "⏱️", "💨"),
    },
    "yoga": {
        "topics": (
            "sun salutations", "vinyasa flows", "yin yoga", "morning flows", "hip openers", "backbends",
            "crow pose", "headstands", "meditation", "restorative yoga", "yoga nidra", "hatha classes",
            "ashtanga primary series", "chakra balancing", "yoga retreats", "yoga mats", "pranayama",
            "warrior sequences", "forward folds", "inversions", "chair yoga", "prenatal yoga",
            "yoga teacher training", "mindfulness", "savasana", "bedtime stretches", "splits progress",
            "wheel pose", "mantras", "sound baths", "gratitude journaling", "desk stretches", "twists",
            "shoulder openers", "handstand drills", "kundalini", "yoga blocks", "mudras", "balance poses",
            "pigeon pose", "moon salutations", "chanting",
        ),
        "activities": (
            "flowing through", "practising", "teaching", "holding", "breathing through", "exploring",
            "easing into", "working on", "sharing", "guiding", "leading", "stretching into", "returning to",
            "finding", "deepening", "softening into", "unrolling", "hosting", "sequencing",
            "journaling about", "committing to", "playing with",
        ),
        "descriptors": (
            "gentle", "grounding", "slow", "restorative", "calming", "energising", "mindful", "peaceful",
            "soothing", "deep", "balanced", "intentional", "playful", "heart-opening", "quiet", "centred",
            "soft", "nourishing", "15-minute", "beginner-friendly", "sunrise", "rooted",
        ),
        "hashtags": (
            "#yoga", "#yogapractice", "#yogaeveryday", "#yogainspiration", "#yogi", "#yogalife",
            "#meditation", "#mindfulness", "#vinyasa", "#yinyoga", "#yogateacher", "#namaste", "#breathwork",
            "#yogaflow", "#yogalove", "#yogachallenge", "#asana", "#yogagirl", "#yogajourney", "#selfcare",
            "#innerpeace", "#flexibility", "#yogaeverydamnday", "#hathayoga", "#ashtanga", "#restorativeyoga",
            "#yogaretreat", "#wellness",
        ),
        "handle_words": (
            "yogi", "flowwith", "asanadiaries", "mat_and_moon", "breathewith", "namastay", "lotusnotes",
            "slowflow", "salutations", "soulandsutra",
        ),
        "bio_lines": (
            "200h RYT | vinyasa & yin", "Slow flows for busy minds", "Retreats in Bali & Portugal",
            "Breathe. Move. Rest.", "Yoga teacher & mama of two", "Free classes every Sunday",
            "Trauma-informed yoga", "Finding calm one breath at a time 🧘‍♀️",
        ),
        "categories": ("Yoga", "Health & Wellness", "Meditation", "Teacher"),
        "brand_stems": ("Lotus", "Prana", "Still", "Sol", "Breath", "Zen", "Sattva", "Moon"),
        "products": (
            "non-slip yoga mats", "cork yoga blocks", "meditation cushions", "yoga apparel",
            "online yoga classes", "breathwork apps", "yoga retreats", "bolsters for restorative practice",
        ),
        "audiences": (
            "yoga teachers and students", "beginners looking for gentle yoga",
            "stressed professionals who want to unwind", "pregnant women and new mums",
            "athletes adding yoga for mobility", "retreat-goers",
        ),
        "values": (
            "Yoga belongs to everybody and every body.",
            "Our yoga mats are made from natural rubber and cork, never PVC.",
            "We keep yoga classes small, slow and mindful.", "Rest is productive, and we design for it.",
            "We give back to the communities where yoga was born.", "Breathe first, then everything else.",
        ),
        "emoji": ("🧘", "🧘‍♀️", "🕉️", "🌿", "☀️", "🙏"),
    },
    "skincare": {
        "topics": (
            "retinol", "vitamin C serums", "sunscreen", "SPF 50", "niacinamide", "hyaluronic acid",
            "skin barrier repair", "acne scars", "hyperpigmentation", "AM routine", "PM routine",
            "chemical exfoliants", "AHA peels", "BHA toners", "moisturisers", "eye creams", "sheet masks",
            "K-beauty routines", "slugging", "ceramides", "peptides", "sensitive skin", "oily skin",
            "dry skin", "fungal acne", "azelaic acid", "tretinoin", "lip balms", "face oils", "clay masks",
            "gua sha", "cleansing balms", "micellar water", "skin cycling", "dark spots", "rosacea",
            "blackheads", "pore care", "mineral sunscreen", "body care", "dermatologist picks",
            "barrier creams",
        ),
        "activities": (
            "testing", "layering", "reviewing", "patch testing", "starting", "introducing", "switching to",
            "using", "applying", "swapping", "comparing", "repurchasing", "emptying", "decanting",
            "recommending", "explaining", "breaking down", "trying", "ranking", "simplifying", "building",
            "fixing",
        ),
        "descriptors": (
            "fragrance-free", "lightweight", "hydrating", "gentle", "non-comedogenic", "soothing",
            "brightening", "affordable", "drugstore", "minimal", "glowy", "plumping", "calming", "clean",
            "derm-approved", "sheer", "oil-free", "nourishing", "budget", "no-white-cast", "fast-absorbing",
            "pH-balanced",
        ),
        "hashtags": (
            "#skincare", "#skincareroutine", "#skincaretips", "#glowingskin", "#spf", "#kbeauty", "#acne",
            "#retinol", "#skincareproducts", "#selfcare", "#skincarejunkie", "#healthyskin", "#sunscreen",
            "#skintok", "#dermatologist", "#clearskin", "#skinbarrier", "#hyperpigmentation",
            "#skincarecommunity", "#beauty", "#antiaging", "#sensitiveskin", "#niacinamide", "#vitaminc",
            "#glassskin", "#skingoals", "#wearyourspf", "#skincareaddict",
        ),
        "handle_words": (
            "skindiaries", "glowlab", "serumseason", "barrierbabe", "dewdrop", "spfdaily", "clearskinclub",
            "glowwith", "skinnotes", "cleanslate",
        ),
        "bio_lines": (
            "Licensed esthetician | honest reviews", "Acne journey & skin barrier tips", "Wear your SPF ☀️",
            "Skincare for sensitive skin", "Cosmetic chemist explains", "Drugstore skincare that works",
            "Not sponsored unless stated", "Glass skin goals ✨",
        ),
        "categories": ("Skincare", "Beauty", "Health & Beauty", "Esthetician"),
        "brand_stems": ("Dew", "Glow", "Derm", "Lumi", "Pure", "Skin", "Velvet", "Calm"),
        "products": (
            "fragrance-free moisturisers", "mineral sunscreen", "vitamin C serums", "gentle cleansers",
            "retinol night creams", "barrier repair balms", "hydrating toners", "acne patches",
        ),
        "audiences": (
            "people with sensitive or acne-prone skin", "skincare beginners building a routine",
            "skintellectuals who read ingredient lists", "men starting a simple skincare routine",
            "people over 40 caring for mature skin", "teens dealing with breakouts",
        ),
        "values": (
            "We publish every ingredient and its percentage.",
            "Dermatologist-tested skincare, fragrance-free and never tested on animals.",
            "Healthy skin beats perfect skin.", "We formulate for sensitive skin first.",
            "Effective skincare should be affordable.", "Less product, better skincare routine.",
        ),
        "emoji": ("✨", "🧴", "💧", "🌞", "🫧", "💆‍♀️"),
    },
    "makeup": {
        "topics": (
            "foundation", "concealer", "eyeliner", "smoky eyes", "red lips", "brow routines", "contour",
            "blush placement", "highlighter", "lash looks", "eyeshadow palettes", "cut crease",
            "graphic liner", "glam looks", "bridal makeup", "everyday makeup", "drugstore dupes",
            "lip combos", "setting spray", "bronzer", "colour correcting", "hooded eye tips", "mascara",
            "lip liner", "soft glam", "halo eyes", "festival makeup", "monolid looks", "false lashes",
            "makeup brushes", "beauty blenders", "matte lipsticks", "glitter looks", "winged liner",
            "editorial looks", "halloween makeup", "blurring powder", "underpainting", "lip gloss",
            "cream blush", "brow lamination", "baked under-eyes",
        ),
        "activities": (
            "testing", "blending", "swatching", "applying", "recreating", "reviewing", "trying", "layering",
            "baking", "sculpting", "mixing", "building", "wearing", "comparing", "ranking", "decluttering",
            "creating", "perfecting", "practising", "teaching", "unboxing", "doing",
        ),
        "descriptors": (
            "long-wear", "glowy", "matte", "smudge-proof", "bold", "soft", "dramatic", "natural", "sparkly",
            "creamy", "buildable", "affordable", "luxury", "cruelty-free", "pigmented", "sultry", "fresh",
            "5-minute", "flawless", "warm-toned", "cool-toned", "sheer",
        ),
        "hashtags": (
            "#makeup", "#makeuptutorial", "#mua", "#makeupartist", "#makeuplook", "#beauty", "#eyeliner",
            "#makeupaddict", "#glam", "#makeuplover", "#eyeshadow", "#lipstick", "#makeupideas",
            "#drugstoremakeup", "#beautytok", "#grwm", "#softglam", "#motd", "#crueltyfreemakeup",
            "#makeuptips", "#brows", "#lashes", "#makeupgoals", "#instamakeup", "#beautyblogger",
            "#bridalmakeup", "#swatches", "#eotd",
        ),
        "handle_words": (
            "glambyf", "linerandlashes", "muadiaries", "blushhour", "wingedit", "glamwith", "brushstroke",
            "lipcombo", "facebeat", "palettepal",
        ),
        "bio_lines": (
            "Freelance MUA | bridal & editorial", "Drugstore dupes every Friday 💄", "Hooded eyes tips",
            "Makeup artist (10 yrs)", "GRWM every morning", "Pro MUA | booking 2026 brides",
            "Cruelty-free beauty only", "Bold looks, soft heart",
        ),
        "categories": ("Makeup Artist", "Beauty", "Cosmetics", "MUA"),
        "brand_stems": ("Blush", "Glam", "Lash", "Velour", "Rouge", "Pout", "Shade", "Kohl"),
        "products": (
            "long-wear foundations", "cruelty-free eyeshadow palettes", "smudge-proof eyeliners",
            "makeup brush sets", "lip liners and glosses", "makeup setting sprays", "cream blushes",
            "vegan mascaras",
        ),
        "audiences": (
            "makeup lovers who follow tutorials", "brides and bridal makeup artists",
            "beginners learning everyday makeup", "pro MUAs stocking their kits", "Gen Z beauty fans",
            "people with hooded or monolid eyes",
        ),
        "values": (
            "Makeup is self-expression and every shade range should include everyone.",
            "We are 100% cruelty-free and most of our makeup range is vegan.",
            "Pro makeup performance at drugstore prices.", "We design with working makeup artists.",
            "Bold or barely there, you decide.", "Inclusive shades, honest formulas.",
        ),
        "emoji": ("💄", "💋", "✨", "🪞", "💅", "👁️"),
    },
    "sustainable_fashion": {
        "topics": (
            "capsule wardrobes", "thrift hauls", "secondhand finds", "linen dresses", "organic cotton tees",
            "vintage denim", "mending", "slow fashion brands", "rental dresses", "natural dyes",
            "wool jumpers", "outfit repeats", "30 wears challenge", "ethical basics", "deadstock fabric",
            "upcycled pieces", "wardrobe audits", "charity shop finds", "Depop listings", "Vinted hauls",
            "fabric care", "darning", "hemp trousers", "tencel shirts", "sustainable swimwear",
            "recycled sneakers", "workwear staples", "seasonal wardrobe switch", "fair trade labels",
            "sewing my own clothes", "vintage coats", "timeless pieces", "minimalist outfits",
            "fashion supply chains", "greenwashing", "repair kits", "handmade knitwear",
            "certified organic labels", "pre-loved designer", "outfit formulas", "garment workers' rights",
            "wardrobe staples",
        ),
        "activities": (
            "thrifting", "styling", "mending", "restyling", "sourcing", "rewearing", "swapping", "sewing",
            "upcycling", "decluttering", "building", "curating", "researching", "repairing", "shopping for",
            "reselling", "tailoring", "investing in", "caring for", "wearing", "planning", "rethinking",
        ),
        "descriptors": (
            "secondhand", "timeless", "ethical", "vintage", "organic", "slow", "pre-loved", "versatile",
            "handmade", "recycled", "conscious", "durable", "classic", "low-impact", "minimalist",
            "natural-fibre", "thrifted", "fair-trade", "locally made", "mended", "neutral", "made-to-last",
        ),
        "hashtags": (
            "#sustainablefashion", "#slowfashion", "#ethicalfashion", "#secondhandfirst", "#thrifted",
            "#whomademyclothes", "#fashionrevolution", "#capsulewardrobe", "#vintagestyle",
            "#thriftstorefinds", "#consciousfashion", "#ecofashion", "#rewear", "#outfitrepeater",
            "#visiblemending", "#preloved", "#circularfashion", "#buylesschoosewell", "#ootd", "#vinted",
            "#depop", "#thriftflip", "#lovedclotheslast", "#30wears", "#sustainablestyle",
            "#slowfashionmovement", "#organiccotton", "#vintagefashion",
        ),
        "handle_words": (
            "thriftedthreads", "slowcloset", "secondhandstyle", "mendandwear", "rewearit", "threadcount",
            "prelovedpieces", "wardrobewise", "capsulecloset", "vintagesoul",
        ),
        "bio_lines": (
            "Secondhand first 🌍", "Capsule wardrobe of 33 pieces", "Slow fashion advocate | mending tips",
            "Fashion Revolution ambassador", "Thrift flips & outfit repeats", "Buy less, choose well",
            "Ex-fast-fashion buyer, now reformed", "Styling what's already in your closet",
        ),
        "categories": ("Fashion", "Sustainability", "Style", "Thrift"),
        "brand_stems": ("Thread", "Loom", "Linen", "Mend", "Weave", "Seam", "Hemp", "Kind"),
        "products": (
            "organic cotton basics", "linen clothing", "secondhand fashion resale platform",
            "clothing repair kits", "recycled denim", "fair-trade knitwear", "clothing rental subscriptions",
            "eco laundry detergent",
        ),
        "audiences": (
            "conscious shoppers building a capsule wardrobe", "thrifters and vintage lovers",
            "people quitting fast fashion", "students selling clothes on resale apps",
            "ethical fashion advocates", "minimalists who buy fewer clothes",
        ),
        "values": (
            "Every garment is traceable to the farm and factory that made it.",
            "We pay living wages across our fashion supply chain.",
            "We repair any garment we sell, for free, forever.",
            "The most sustainable garment is the one already in your closet.",
            "Organic, fair and made to last.", "We publish our full clothing supplier list every year.",
        ),
        "emoji": ("🌍", "♻️", "🧵", "👗", "🌱", "🪡"),
    },
    "streetwear": {
        "topics": (
            "sneaker drops", "Jordan 1s", "oversized hoodies", "cargo pants", "fit checks", "graphic tees",
            "bucket hats", "vintage jerseys", "limited releases", "resale prices", "sneaker rotations",
            "layering fits", "workwear jackets", "baggy denim", "crossbody bags", "skate brands", "collabs",
            "heavyweight tees", "sneaker cleaning", "on-foot reviews", "track jackets", "beanies",
            "Dunk lows", "New Balance 550s", "puffer jackets", "retro runners", "utility vests",
            "chain necklaces", "camp collar shirts", "sneaker storage", "raffle wins", "colourways",
            "fit inspo", "streetwear brands", "varsity jackets", "Y2K fits", "techwear", "shoe boxes",
            "customized sneakers", "tie-dye hoodies", "sneaker grails", "skate shoes",
        ),
        "activities": (
            "copping", "styling", "rocking", "unboxing", "reviewing", "cleaning", "lacing", "layering",
            "thrifting", "reselling", "flipping", "customizing", "ranking", "rating", "pairing", "testing",
            "showing off", "breaking in", "hunting for", "chasing", "restocking", "collecting",
        ),
        "descriptors": (
            "fresh", "clean", "oversized", "baggy", "limited", "retro", "hyped", "underrated", "deadstock",
            "grail-level", "boxy", "heavyweight", "vintage", "bold", "cozy", "tonal", "crispy", "fire",
            "archive", "minimal", "sick", "rare",
        ),
        "hashtags": (
            "#streetwear", "#sneakers", "#fitcheck", "#ootd", "#sneakerhead", "#streetstyle", "#hypebeast",
            "#kicks", "#outfitinspo", "#jordan1", "#nike", "#sneakerfreak", "#streetwearfashion",
            "#whatiwore", "#dunks", "#menswear", "#vintagestreetwear", "#kotd", "#sneakercollection",
            "#fashionkilla", "#fitpic", "#streetfashion", "#y2kfashion", "#techwear", "#drip", "#grails",
            "#sneakerlover", "#outfitoftheday",
        ),
        "handle_words": (
            "kicksandfits", "fitcheckdaily", "dripdiaries", "solecollector", "laced", "hoodieseason",
            "grailhunter", "cookedfits", "sneakerdad", "boxfresh",
        ),
        "bio_lines": (
            "Sneakerhead | 140 pairs and counting 👟", "Daily fit checks", "Reseller turned collector",
            "Streetwear stylist | LDN", "Vintage finds & grails", "Size 10 everything", "Fits > feelings",
            "Customs open ✉️",
        ),
        "categories": ("Fashion", "Sneakers", "Streetwear", "Style"),
        "brand_stems": ("Sole", "Drip", "Block", "Lace", "Kick", "Hood", "Grail", "Vandal"),
        "products": (
            "limited-edition sneakers", "heavyweight hoodies", "cargo pants", "sneaker cleaning kits",
            "graphic tees", "crossbody bags", "streetwear caps", "sneaker storage boxes",
        ),
        "audiences": (
            "sneakerheads and collectors", "Gen Z streetwear fans", "skaters and city kids",
            "resellers tracking sneaker drops", "guys upgrading their everyday fits",
            "vintage streetwear hunters",
        ),
        "values": (
            "Made in small runs so every streetwear drop stays special.",
            "Streetwear is culture, and we pay the artists who shape it.",
            "Heavyweight fabrics built to be worn every day.",
            "We sell sneakers direct, no bots, no raffle games.", "From the skatepark to the street.",
            "Fresh fits, fair prices.",
        ),
        "emoji": ("👟", "🔥", "🧢", "🖤", "💯", "📦"),
    },
    "hiking_camping": {
        "topics": (
            "day hikes", "summit pushes", "wild camping", "tent setups", "backpacking trips", "trail mix",
            "hiking boots", "ultralight gear", "campfire meals", "sleeping bags", "ridge walks",
            "alpine lakes", "thru-hikes", "camp stoves", "waterproof jackets", "bear canisters",
            "trekking poles", "trail maps", "hammock camping", "winter camping", "sunrise summits",
            "hut-to-hut hikes", "water filters", "navigation skills", "leave no trace", "car camping",
            "camp coffee", "backcountry permits", "first aid kits", "headlamps", "rain gear", "base layers",
            "hiking snacks", "scrambles", "glacier views", "forest trails", "camp recipes", "sleeping pads",
            "the Pacific Crest Trail", "the West Highland Way", "bothy nights", "switchback trails",
        ),
        "activities": (
            "hiking", "camping at", "summiting", "packing", "testing", "planning", "exploring", "trekking to",
            "pitching", "scrambling up", "navigating", "setting up", "reviewing", "lightening", "carrying",
            "cooking", "chasing", "conquering", "mapping", "discovering", "returning to", "surviving",
        ),
        "descriptors": (
            "ultralight", "rugged", "remote", "misty", "epic", "waterproof", "cozy", "muddy", "windy",
            "snowy", "quiet", "wild", "steep", "breathtaking", "beginner-friendly", "off-grid", "cold",
            "starry", "rocky", "sunny", "multi-day", "hidden",
        ),
        "hashtags": (
            "#hiking", "#camping", "#outdoors", "#hikingadventures", "#backpacking", "#wildcamping",
            "#getoutside", "#naturelovers", "#mountains", "#trail", "#optoutside", "#hikingtrail",
            "#campinglife", "#adventure", "#ultralight", "#thruhike", "#leavenotrace", "#campfire", "#summit",
            "#hikersofinstagram", "#tentlife", "#exploremore", "#mountainlife", "#outdoorlife",
            "#backcountry", "#trekking", "#hikingculture", "#gooutside",
        ),
        "handle_words": (
            "trailtales", "summitseeker", "tentandtrail", "wildmiles", "basecampbeth", "ridgeline",
            "backcountryben", "switchbacks", "peakbagger", "campfirestories",
        ),
        "bio_lines": (
            "Thru-hiker | PCT 2023 ⛰️", "Weekend wild camper", "Ultralight gear nerd",
            "Mountain leader & guide", "Exploring every national park", "Leave no trace 🌲",
            "52 hikes in 52 weeks", "Hiking with my dog across Scotland",
        ),
        "categories": ("Outdoors", "Hiking", "Camping", "Adventure"),
        "brand_stems": ("Summit", "Ridge", "Trail", "Pine", "Basecamp", "Cairn", "Alpine", "Timber"),
        "products": (
            "ultralight tents", "waterproof hiking boots", "down sleeping bags", "camp stoves",
            "trekking poles", "hiking backpacks", "water filters", "freeze-dried camp meals",
        ),
        "audiences": (
            "hikers and backpackers", "weekend campers and families", "ultralight thru-hikers",
            "beginners planning their first wild camp", "mountain lovers and peak baggers",
            "outdoor clubs and scouts",
        ),
        "values": (
            "Leave no trace is built into every piece of camping gear we design.",
            "We repair hiking gear so it stays on the trail, not in landfill.",
            "The outdoors belong to everyone, so we fund access programs.",
            "Tested in real mountain storms, not just labs.", "Lighter packs, longer trails.",
            "We donate 1% of sales to protect wild places.",
        ),
        "emoji": ("⛰️", "🏕️", "🌲", "🥾", "🔥", "🌄"),
    },
    "cycling": {
        "topics": (
            "gravel rides", "road bikes", "century rides", "climbing", "bike fits", "group rides",
            "zone 2 training", "indoor trainers", "Zwift races", "bike commuting", "sportives",
            "power meters", "chain maintenance", "tubeless tyres", "cycling kit", "saddle sores",
            "coffee stops", "crit races", "e-bikes", "cadence work", "FTP tests", "bike lanes",
            "cycling shoes", "carbon wheels", "hill climbs", "descending skills", "winter riding",
            "bike cleaning", "cycling nutrition", "velodrome sessions", "mountain biking", "singletrack",
            "cycling glasses", "groupset upgrades", "tour stages", "cycle touring", "bike storage",
            "puncture repairs", "recovery spins", "cycling computers", "time trials", "bike shop visits",
        ),
        "activities": (
            "riding", "climbing", "testing", "training for", "fixing", "cleaning", "upgrading", "planning",
            "commuting on", "racing", "smashing", "spinning through", "exploring", "pacing", "reviewing",
            "maintaining", "building up", "descending", "chasing", "logging", "tuning", "setting up",
        ),
        "descriptors": (
            "hilly", "fast", "windy", "gravelly", "smooth", "aero", "lightweight", "brutal", "rainy", "steep",
            "sunny", "endless", "flowing", "technical", "early", "muddy", "epic", "chilly", "flat", "scenic",
            "punchy", "long",
        ),
        "hashtags": (
            "#cycling", "#bike", "#roadcycling", "#gravelbike", "#cyclinglife", "#bikelife", "#strava",
            "#zwift", "#cyclist", "#mtb", "#roadbike", "#outsideisfree", "#cyclingphotos", "#instacycling",
            "#bikepacking", "#velo", "#ridemore", "#cyclingclub", "#bikecommute", "#ebike", "#gravelgrinder",
            "#cyclingshots", "#lovecycling", "#biketouring", "#climbing", "#kom", "#cyclingkit",
            "#wheelsuckers",
        ),
        "handle_words": (
            "velovibes", "pedalpusher", "spokesandsprockets", "gravelgang", "twowheeltales",
            "chainringcharlie", "saddlestories", "climbingcleats", "dropbars", "cadencekid",
        ),
        "bio_lines": (
            "Gravel > tarmac", "Cat 2 racer | coach", "Bike commuter in Amsterdam 🚲",
            "Chasing KOMs and cake stops", "Bikepacking the world", "10,000 km a year",
            "Ex-pro, now coffee-ride pro", "E-bike convert",
        ),
        "categories": ("Cycling", "Sports", "Bikes", "Athlete"),
        "brand_stems": ("Velo", "Spoke", "Pedal", "Crank", "Chain", "Cadence", "Gear", "Peloton"),
        "products": (
            "gravel bikes", "cycling jerseys and bibs", "bike computers", "indoor smart trainers",
            "tubeless tyre kits", "cycling helmets", "bike lights", "chain lubes",
        ),
        "audiences": (
            "road cyclists and club riders", "gravel and bikepacking fans", "bike commuters",
            "indoor trainer users", "new riders buying a first road bike", "mountain bikers",
        ),
        "values": (
            "We believe every bike ride should end with a smile and a coffee.",
            "Safety first: all our cycling helmets beat the standard.",
            "Built by riders, tested on real climbs.", "More bikes, fewer cars, better cities.",
            "We offer lifetime crash replacement on every bike.", "Ride further, ride together.",
        ),
        "emoji": ("🚴", "🚲", "🚴‍♀️", "⛰️", "☕", "💨"),
    },
    "travel": {
        "topics": (
            "weekend getaways", "city breaks", "hidden gems", "itineraries", "packing hacks", "budget travel",
            "solo travel", "island hopping", "boutique hotels", "street food tours", "travel hacks",
            "airport lounges", "carry-on packing", "travel budgets", "visa tips", "train journeys",
            "sunsets in Santorini", "Lisbon", "Kyoto", "Bali", "Amalfi coast", "Mexico City", "Marrakech",
            "interrailing", "hostels", "beach days", "local markets", "old towns", "jet lag",
            "travel diaries", "bucket lists", "points and miles", "long-haul flights", "overnight trains",
            "day trips", "slow travel", "guesthouses", "tourist traps", "rooftop bars", "ferry rides",
            "Seoul food markets", "Cape Town",
        ),
        "activities": (
            "exploring", "visiting", "planning", "packing for", "booking", "wandering through", "discovering",
            "rating", "ranking", "sharing", "revisiting", "road-tripping", "hopping between",
            "eating my way through", "falling for", "documenting", "mapping", "saving for", "recommending",
            "reviewing", "touring", "escaping to",
        ),
        "descriptors": (
            "hidden", "budget", "dreamy", "underrated", "sun-soaked", "lazy", "epic", "affordable",
            "charming", "colourful", "last-minute", "quiet", "luxury", "local", "bustling", "off-season",
            "magical", "chaotic", "walkable", "coastal", "unforgettable", "crowd-free",
        ),
        "hashtags": (
            "#travel", "#wanderlust", "#travelgram", "#instatravel", "#traveltheworld", "#travelblogger",
            "#solotravel", "#travelphotography", "#explore", "#bucketlist", "#roadtrip", "#budgettravel",
            "#travelholic", "#passportready", "#traveltips", "#europetravel", "#beautifuldestinations",
            "#weekendgetaway", "#traveladdict", "#hiddengems", "#vacation", "#backpackers", "#slowtravel",
            "#citybreak", "#islandlife", "#travelguide", "#lonelyplanet", "#seetheworld",
        ),
        "handle_words": (
            "wanderer", "passportstamps", "jetsetjess", "nomadnotes", "suitcasestories", "roamwith",
            "awaywego", "globetrotting", "milesandmaps", "onewayticket",
        ),
        "bio_lines": (
            "50 countries and counting 🌍", "Budget travel tips", "Full-time nomad",
            "Travel writer | Lonely Planet contributor", "Itineraries in link", "Solo female traveller",
            "Weekend trips from London", "Slow travel, local food",
        ),
        "categories": ("Travel", "Travel Blogger", "Lifestyle", "Explorer"),
        "brand_stems": ("Roam", "Wander", "Passport", "Atlas", "Voyage", "Compass", "Nomad", "Horizon"),
        "products": (
            "carry-on suitcases", "travel insurance", "boutique hotel stays", "travel eSIMs", "packing cubes",
            "rail passes", "guided small-group tours", "travel backpacks",
        ),
        "audiences": (
            "budget travellers and backpackers", "couples planning city breaks", "digital nomads",
            "families planning holidays abroad", "solo female travellers", "retirees who love slow travel",
        ),
        "values": (
            "Travel should open minds and support local communities.",
            "We partner only with locally owned guesthouses and guides.",
            "Pack light, travel far, tread lightly.", "Honest travel prices, no hidden fees.",
            "We offset every trip and fund rewilding projects.", "See more of the world for less.",
        ),
        "emoji": ("✈️", "🌍", "🧳", "🏝️", "🗺️", "📍"),
    },
    "parenting": {
        "topics": (
            "toddler tantrums", "bedtime routines", "sleep regressions", "baby-led weaning", "school runs",
            "lunchbox ideas", "potty training", "newborn essentials", "breastfeeding", "postpartum recovery",
            "screen time", "sibling rivalry", "family holidays", "rainy day activities", "nursery bags",
            "baby carriers", "gentle parenting", "mum guilt", "dad jokes", "first words", "teething",
            "toddler snacks", "homework battles", "family meal plans", "playdates", "school holidays",
            "sensory play", "baby sleep", "milestones", "pregnancy updates", "birth stories",
            "stroller reviews", "nap schedules", "kids' chores", "big feelings", "back-to-school",
            "parenting hacks", "baby gear", "toy rotation", "car seat safety", "bath time", "morning chaos",
        ),
        "activities": (
            "surviving", "navigating", "tackling", "handling", "sharing", "juggling", "planning", "packing",
            "trying", "testing", "celebrating", "managing", "talking about", "figuring out", "documenting",
            "learning", "prepping", "reviewing", "organising", "setting up", "coping with",
            "laughing through",
        ),
        "descriptors": (
            "chaotic", "gentle", "realistic", "exhausting", "wholesome", "messy", "sleep-deprived",
            "heartwarming", "toddler-approved", "screen-free", "easy", "budget-friendly", "honest", "calm",
            "noisy", "lovely", "funny", "practical", "sweet", "tearful", "cozy", "no-fuss",
        ),
        "hashtags": (
            "#parenting", "#momlife", "#dadlife", "#motherhood", "#toddlerlife", "#parenthood",
            "#momsofinstagram", "#newmom", "#babyledweaning", "#gentleparenting", "#familytime", "#mumlife",
            "#fatherhood", "#toddleractivities", "#momhacks", "#pregnancy", "#postpartum", "#kidsactivities",
            "#raisingkids", "#boymom", "#girldad", "#sahm", "#workingmom", "#babyessentials",
            "#parentinghacks", "#momtok", "#realmotherhood", "#dadsofinstagram",
        ),
        "handle_words": (
            "mamabear", "dadlife", "toddlertales", "tinyhumans", "raisinglittles", "momofthree",
            "chaoticmama", "nappiesandnaps", "dadjokes", "littleloves",
        ),
        "bio_lines": (
            "Mum of 3 under 5 | surviving on coffee", "Girl dad x2", "Gentle parenting, real life",
            "Former teacher, now SAHM", "Toddler activities you can do today", "IVF warrior 💛",
            "Sleep consultant for tired parents", "Dad, husband, professional snack provider",
        ),
        "categories": ("Parenting", "Family", "Mom Blogger", "Kids"),
        "brand_stems": ("Nest", "Tiny", "Little", "Cradle", "Bloom", "Sprout", "Hatch", "Snug"),
        "products": (
            "baby carriers", "toddler snack boxes", "eco nappies", "kids' learning toys", "baby sleep sacks",
            "strollers", "family meal kits", "children's book subscriptions",
        ),
        "audiences": (
            "new and expecting parents", "parents of toddlers", "busy working mums and dads",
            "families with school-age kids", "grandparents buying gifts for little ones",
            "gentle parenting communities",
        ),
        "values": (
            "Parenting is hard enough, so our baby products just work.",
            "Everything we make for kids is safety-tested and free from nasties.",
            "We design with parents, not for them.", "Every family looks different and we celebrate that.",
            "Fewer, better toys that grow with your child.", "Sleep for babies, sanity for parents.",
        ),
        "emoji": ("👶", "🍼", "👨‍👩‍👧", "💛", "🧸", "😴"),
    },
    "pets": {
        "topics": (
            "puppy training", "dog walks", "cat toys", "grooming days", "vet visits", "rescue dogs",
            "adoption stories", "raw feeding", "dog treats", "litter boxes", "kitten zoomies",
            "leash training", "dog-friendly cafes", "pet insurance", "golden retrievers", "senior cats",
            "crate training", "enrichment toys", "lick mats", "agility classes", "dog beds", "cat trees",
            "separation anxiety", "pet birthdays", "frenchie life", "husky howls", "border collie tricks",
            "pet food reviews", "fleas and ticks", "nail trims", "dog parks", "indoor cats", "rabbit care",
            "bird training", "reptile tanks", "foster kittens", "pet photography", "matching outfits",
            "calming treats", "pet first aid", "cat cafes", "tennis balls",
        ),
        "activities": (
            "training", "walking", "spoiling", "grooming", "adopting", "fostering", "feeding", "testing",
            "reviewing", "celebrating", "teaching", "cuddling", "bathing", "rescuing", "introducing",
            "socialising", "playing with", "brushing", "exercising", "photographing", "caring for",
            "pampering",
        ),
        "descriptors": (
            "fluffy", "cheeky", "sleepy", "zoomie-filled", "muddy", "adorable", "spoiled", "tiny", "grumpy",
            "derpy", "loyal", "shy", "playful", "well-behaved", "chaotic", "senior", "rescue", "snuggly",
            "happy", "curious", "gentle", "hungry",
        ),
        "hashtags": (
            "#dogsofinstagram", "#catsofinstagram", "#pets", "#dog", "#cat", "#puppy", "#petsofinstagram",
            "#doglover", "#catlover", "#rescuedog", "#adoptdontshop", "#dogstagram", "#kitten",
            "#dogtraining", "#instadog", "#instacat", "#petlovers", "#goldenretriever", "#frenchbulldog",
            "#puppylove", "#cattok", "#dogtok", "#fostering", "#seniordog", "#petcare", "#doglife",
            "#catlife", "#furbaby",
        ),
        "handle_words": (
            "pawprints", "furbaby", "woofandwag", "thepupdiaries", "meowmoments", "tailwags",
            "barkandbiscuit", "whiskerwednesday", "adventurepup", "kittycornerclub",
        ),
        "bio_lines": (
            "Life with 2 rescue pups 🐾", "Certified dog trainer", "Foster mum | 40+ cats rehomed",
            "Frenchie named Waffles", "Adopt don't shop", "Positive reinforcement only", "Cat dad of 3",
            "Golden retriever adventures",
        ),
        "categories": ("Pets", "Animals", "Dogs", "Pet Care"),
        "brand_stems": ("Paw", "Woof", "Whisker", "Tail", "Bark", "Purr", "Fetch", "Kibble"),
        "products": (
            "grain-free dog food", "cat enrichment toys", "pet insurance plans", "dog harnesses",
            "natural dog treats", "self-cleaning litter boxes", "orthopaedic dog beds",
            "calming chews for pets",
        ),
        "audiences": (
            "dog owners and puppy parents", "cat lovers and multi-cat homes", "rescue and foster communities",
            "first-time pet owners", "owners of senior pets", "active dog owners who hike",
        ),
        "values": (
            "Pets are family and deserve real, human-grade ingredients.",
            "We donate a meal to an animal shelter for every order.", "Vet-formulated, pet-approved.",
            "We only use positive, science-based dog training methods.", "Happy pets, happy homes.",
            "Sustainable packaging and ethically sourced proteins for pets.",
        ),
        "emoji": ("🐾", "🐶", "🐱", "🦴", "🐕", "😻"),
    },
    "home_decor": {
        "topics": (
            "living room makeovers", "bedroom refreshes", "cozy corners", "neutral palettes", "reading nooks",
            "rental-friendly upgrades", "kitchen styling", "entryway ideas", "coffee table styling",
            "throw pillows", "statement lighting", "paint colours", "mid-century finds", "Scandi interiors",
            "japandi style", "boho bedrooms", "vintage rugs", "bathroom refreshes", "shelf styling",
            "moody walls", "home office setups", "dining nooks", "seasonal decor", "Christmas trees",
            "scented candles", "curtains", "floor lamps", "sofa shopping", "small space living",
            "before and afters", "open shelving", "accent walls", "mirror placement", "room tours",
            "panelling", "organising hacks", "textured throws", "house tours", "bedside tables", "lampshades",
            "hallway runners", "console tables",
        ),
        "activities": (
            "styling", "decorating", "refreshing", "painting", "rearranging", "shopping for", "designing",
            "hanging", "layering", "renovating", "planning", "sourcing", "updating", "transforming",
            "cosying up", "organising", "revealing", "restyling", "finishing", "choosing", "mixing",
            "sharing",
        ),
        "descriptors": (
            "cozy", "neutral", "moody", "minimal", "warm", "airy", "bright", "Scandi", "vintage",
            "rental-friendly", "budget", "earthy", "modern", "timeless", "calm", "textured", "maximalist",
            "boho", "inviting", "clean-lined", "layered", "sunlit",
        ),
        "hashtags": (
            "#homedecor", "#interiordesign", "#interior", "#homeinspo", "#homesweethome", "#myhome",
            "#interiorstyling", "#decor", "#livingroomdecor", "#homestyling", "#scandinavianhome",
            "#bohodecor", "#rentalfriendly", "#cozyhome", "#apartmenttherapy", "#japandi",
            "#smallspaceliving", "#shelfie", "#homemakeover", "#interiorinspo", "#roomtour", "#ikeahack",
            "#neutraldecor", "#homeinterior", "#vintagehome", "#beforeandafter", "#interiorlovers",
            "#housetour",
        ),
        "handle_words": (
            "nestandnook", "cosycorners", "thehomeedit", "roomrefresh", "shelfiestories", "houseonthehill",
            "paintedwalls", "styledspaces", "littlehomeproject", "homebyhannah",
        ),
        "bio_lines": (
            "Renovating a 1930s semi 🏡", "Rental-friendly decor ideas", "Interior stylist | small spaces",
            "Budget home makeovers", "Neutral home, colourful life", "Shop my home ↓", "Japandi lover",
            "DIY-ing our way through a fixer-upper",
        ),
        "categories": ("Interior Design", "Home", "Home Decor", "Design"),
        "brand_stems": ("Nest", "Hearth", "Oak", "Linen", "Nook", "Haven", "Loft", "Dwell"),
        "products": (
            "linen bedding", "statement floor lamps", "vintage-style rugs", "peel-and-stick wallpaper",
            "scented candles", "modular sofas", "wall art prints", "storage baskets",
        ),
        "audiences": (
            "renters who want a stylish home", "first-time buyers decorating on a budget",
            "interior design lovers", "families renovating older homes", "small-space city dwellers",
            "people who restyle their home every season",
        ),
        "values": (
            "Home should feel like you, not a catalogue.",
            "We design home furniture to last decades, not seasons.",
            "Responsibly sourced materials and fair pay for makers.",
            "Good interior design is for every budget.",
            "We make rental-friendly decor that leaves no trace.", "Slow, considered, well made homes.",
        ),
        "emoji": ("🏡", "🛋️", "🕯️", "🪴", "🖼️", "✨"),
    },
    "gardening": {
        "topics": (
            "raised beds", "tomato plants", "seed starting", "companion planting", "allotment updates",
            "dahlias", "sweet peas", "compost heaps", "herb gardens", "houseplant care", "monstera",
            "pruning roses", "vegetable patches", "greenhouse days", "potato harvests", "garden planning",
            "wildflower meadows", "pollinator gardens", "balcony veg", "succulents", "bulb planting",
            "lawn care", "chilli plants", "garden pests", "slug control", "hydrangeas", "fruit trees",
            "courgette gluts", "seed swaps", "propagation", "cut flower beds", "mulching", "pond building",
            "container gardening", "soil health", "winter sowing", "garlic planting", "strawberry patches",
            "bean towers", "harvest baskets", "rhubarb", "garden sheds",
        ),
        "activities": (
            "planting", "sowing", "harvesting", "pruning", "weeding", "watering", "propagating", "potting up",
            "mulching", "growing", "transplanting", "deadheading", "composting", "planning", "digging",
            "repotting", "feeding", "staking", "dividing", "overwintering", "hardening off", "picking",
        ),
        "descriptors": (
            "homegrown", "organic", "lush", "overgrown", "blooming", "fresh", "muddy", "sunny", "wild",
            "heirloom", "abundant", "peat-free", "tiny", "easy", "colourful", "fragrant", "seasonal",
            "bumper", "hardy", "leafy", "pollinator-friendly", "slug-proof",
        ),
        "hashtags": (
            "#gardening", "#garden", "#growyourown", "#allotment", "#gardenersofinstagram", "#plants",
            "#houseplants", "#urbangardening", "#vegetablegarden", "#organicgardening", "#nodig",
            "#gardenlife", "#plantsofinstagram", "#flowers", "#homegrown", "#gardendesign", "#cottagegarden",
            "#seedstarting", "#compost", "#raisedbeds", "#dahlias", "#gardentok", "#plantparent",
            "#greenhouse", "#growfood", "#wildlifegarden", "#bloom", "#harvest",
        ),
        "handle_words": (
            "allotmentlife", "greenfingers", "seedandsoil", "thepottingshed", "grownotes", "muddyboots",
            "rootsandshoots", "bloomandgrow", "plottoplate", "veggiepatch",
        ),
        "bio_lines": (
            "Allotment plot 32 🥕", "No-dig grower", "Houseplant hoarder (247 plants)", "Cut flower farmer",
            "Growing food on a tiny balcony", "RHS trained gardener", "Peat-free & wildlife friendly",
            "From seed to plate",
        ),
        "categories": ("Gardening", "Plants", "Garden", "Outdoors"),
        "brand_stems": ("Seed", "Bloom", "Root", "Fern", "Sprout", "Thyme", "Moss", "Meadow"),
        "products": (
            "heirloom seed packs", "peat-free compost", "raised bed kits", "garden tools",
            "self-watering planters", "houseplant subscriptions", "organic plant feed", "greenhouse kits",
        ),
        "audiences": (
            "allotment growers and veg gardeners", "houseplant lovers",
            "beginner gardeners with small spaces", "cut flower growers", "families growing food together",
            "wildlife gardeners",
        ),
        "values": (
            "Peat-free, organic and kind to garden wildlife, always.",
            "Everyone can grow something, even on a windowsill.",
            "We save and share heirloom seeds to protect biodiversity.",
            "Healthy soil, healthy food, healthy planet.", "Garden tools built to be passed down.",
            "Grow more, buy less.",
        ),
        "emoji": ("🌱", "🌻", "🥕", "🍅", "🪴", "🌷"),
    },
    "diy_crafts": {
        "topics": (
            "macrame", "embroidery hoops", "crochet blankets", "knitting patterns", "resin art",
            "candle making", "pottery", "wood burning", "scrapbooking", "card making",
            "polymer clay earrings", "quilting", "cross stitch", "painted rocks", "sewing projects",
            "punch needle", "watercolour cards", "weaving", "paper crafts", "soap making", "lino printing",
            "tufting rugs", "bookbinding", "stained glass", "DIY gifts", "halloween costumes",
            "needle felting", "bead jewellery", "cricut projects", "origami", "wreath making", "chalk paint",
            "woodworking", "crochet tops", "clay pots", "calligraphy", "craft rooms", "yarn hauls",
            "pattern testing", "mini dioramas", "granny squares", "amigurumi",
        ),
        "activities": (
            "making", "crafting", "stitching", "crocheting", "knitting", "painting", "sewing", "building",
            "finishing", "starting", "designing", "testing", "upcycling", "sanding", "gluing", "carving",
            "glazing", "printing", "weaving", "teaching", "frogging", "unboxing",
        ),
        "descriptors": (
            "handmade", "cozy", "easy", "beginner-friendly", "colourful", "chunky", "tiny", "quirky",
            "budget", "rustic", "one-afternoon", "intricate", "upcycled", "scrappy", "pastel", "satisfying",
            "giftable", "no-sew", "wonky", "whimsical", "relaxing", "custom",
        ),
        "hashtags": (
            "#diy", "#crafts", "#handmade", "#crochet", "#knitting", "#embroidery", "#macrame",
            "#diyprojects", "#craftersofinstagram", "#makersgonnamake", "#resinart", "#pottery", "#sewing",
            "#upcycling", "#furnitureflip", "#crafting", "#handmadegifts", "#crossstitch", "#punchneedle",
            "#candlemaking", "#diyhomedecor", "#polymerclay", "#cricut", "#quilting", "#craftroom",
            "#crochetersofinstagram", "#handmadewithlove", "#tufting",
        ),
        "handle_words": (
            "stitchandsip", "hookedonyarn", "makersmess", "crafternoon", "gluegunqueen", "loopsandknots",
            "thecraftycorner", "handmadeby", "yarnover", "paperandpaste",
        ),
        "bio_lines": (
            "Crochet patterns in my Etsy 🧶", "Maker of wonky pots", "Furniture flipper | before & afters",
            "Teaching embroidery online", "Crafting through the chaos", "Resin artist | custom orders open",
            "Upcycling everything", "Knitting my way through winter",
        ),
        "categories": ("Arts & Crafts", "DIY", "Handmade", "Artist"),
        "brand_stems": ("Stitch", "Yarn", "Loop", "Clay", "Craft", "Maker", "Needle", "Spool"),
        "products": (
            "crochet kits", "natural yarns", "embroidery supplies", "air-dry clay", "resin art kits",
            "craft cutting machines", "candle making kits", "sewing patterns",
        ),
        "audiences": (
            "crafters and hobby makers", "beginners learning to crochet or knit",
            "upcyclers and furniture flippers", "Etsy sellers and small makers", "parents crafting with kids",
            "people crafting to unwind",
        ),
        "values": (
            "Making things by hand is good for the soul.",
            "Our yarns are natural, traceable and dyed in small batches.",
            "Every craft kit is beginner-proof and fully illustrated.",
            "We champion small makers and pay pattern designers fairly.", "Craft more, waste less.",
            "Creativity is a skill everyone can learn.",
        ),
        "emoji": ("🧶", "🪡", "✂️", "🎨", "🧵", "🪵"),
    },
    "personal_finance": {
        "topics": (
            "budgeting", "index funds", "emergency funds", "debt payoff", "credit scores", "side hustles",
            "retirement accounts", "high-yield savings", "ISAs", "Roth IRAs", "the 50/30/20 rule",
            "net worth updates", "FIRE", "sinking funds", "salary negotiation", "student loans",
            "credit card debt", "compound interest", "ETFs", "dividend investing", "cash stuffing",
            "money mindset", "financial independence", "mortgages", "pensions", "tax returns", "inflation",
            "budget templates", "expense tracking", "money diaries", "passive income",
            "investing for beginners", "financial goals", "paycheck routines", "couples finances",
            "stock market dips", "robo-advisors", "savings challenges", "financial literacy",
            "money mistakes", "bank fees", "credit card points",
        ),
        "activities": (
            "paying off", "tracking", "building", "budgeting for", "explaining", "investing in",
            "breaking down", "saving for", "automating", "comparing", "growing", "planning", "reviewing",
            "boosting", "tackling", "calculating", "organising", "maxing out", "simplifying", "starting",
            "rebalancing", "demystifying",
        ),
        "descriptors": (
            "simple", "realistic", "boring (but effective)", "beginner-friendly", "low-cost", "step-by-step",
            "frugal", "long-term", "stress-free", "debt-free", "practical", "smart", "honest", "automated",
            "small", "consistent", "tax-efficient", "zero-based", "transparent", "no-nonsense", "achievable",
            "data-driven",
        ),
        "hashtags": (
            "#personalfinance", "#budgeting", "#moneytips", "#financialfreedom", "#investing", "#debtfree",
            "#savingmoney", "#fire", "#financialindependence", "#moneymanagement", "#budget", "#frugalliving",
            "#sidehustle", "#wealthbuilding", "#financetok", "#moneytok", "#indexfunds",
            "#retirementplanning", "#creditscore", "#cashstuffing", "#financialliteracy", "#moneymindset",
            "#debtpayoff", "#emergencyfund", "#passiveincome", "#investingforbeginners", "#savings",
            "#networth",
        ),
        "handle_words": (
            "moneymatters", "budgetbestie", "centsible", "debtfreediaries", "thefrugalfox", "wealthwise",
            "pennypincher", "savvysaver", "dollarsanddreams", "indexandchill",
        ),
        "bio_lines": (
            "Paid off $87k debt in 3 years", "CFP® | money made simple", "FIRE by 40 🔥",
            "Budget templates in link", "Not financial advice", "Helping millennials invest",
            "Teacher turned money coach", "Cash stuffing & sinking funds",
        ),
        "categories": ("Finance", "Personal Finance", "Education", "Money"),
        "brand_stems": ("Penny", "Ledger", "Vault", "Coin", "Nest", "Mint", "Sum", "Fund"),
        "products": (
            "budgeting apps", "high-yield savings accounts", "low-cost index fund platforms", "robo-advisors",
            "credit builder cards", "money coaching sessions", "financial planning courses", "cashback apps",
        ),
        "audiences": (
            "millennials starting to invest", "people paying off debt",
            "young professionals budgeting their first salary", "couples merging their finances",
            "families saving for a home deposit", "anyone curious about financial independence",
        ),
        "values": (
            "Money should be simple, transparent and free of hidden fees.",
            "We teach financial literacy without the jargon.",
            "Your money, your rules: we never sell your data.",
            "Low investing costs compound, so we keep ours tiny.",
            "Financial freedom is built in small, boring steps.", "Clear numbers, calm money decisions.",
        ),
        "emoji": ("💸", "💰", "📈", "🏦", "🧾", "💡"),
    },
    "tech_gadgets": {
        "topics": (
            "smartphone reviews", "wireless earbuds", "smartwatches", "laptops", "mechanical keyboards",
            "USB-C hubs", "tablets", "noise-cancelling headphones", "smart home gadgets", "e-readers",
            "portable chargers", "4K monitors", "webcams", "robot vacuums", "VR headsets", "fitness trackers",
            "action cameras", "Bluetooth speakers", "phone cases", "foldable phones", "AI features",
            "battery tests", "unboxings", "MagSafe accessories", "home servers", "Raspberry Pi projects",
            "smart lights", "mesh Wi-Fi", "productivity apps", "cable management", "standing desks",
            "trackpads", "charging stations", "gadget deals", "tech under $50", "budget phones",
            "software updates", "privacy settings", "iPad workflows", "Android tips", "tech tips",
            "smart rings",
        ),
        "activities": (
            "unboxing", "reviewing", "testing", "comparing", "setting up", "upgrading", "benchmarking",
            "ranking", "trying", "installing", "fixing", "configuring", "tearing down", "daily driving",
            "returning", "recommending", "organising", "automating", "switching to", "hacking",
            "stress-testing", "customizing",
        ),
        "descriptors": (
            "budget", "wireless", "premium", "compact", "fast", "underrated", "overpriced", "minimal",
            "sleek", "smart", "portable", "powerful", "foldable", "affordable", "clean", "futuristic", "tiny",
            "durable", "noise-cancelling", "long-lasting", "game-changing", "flagship",
        ),
        "hashtags": (
            "#tech", "#gadgets", "#techreview", "#unboxing", "#desksetup", "#techtok", "#smartphone",
            "#apple", "#android", "#technology", "#gadget", "#smarthome", "#mechanicalkeyboard", "#techtips",
            "#wfh", "#setupinspiration", "#productivity", "#techie", "#iphone", "#samsung", "#laptop",
            "#earbuds", "#smartwatch", "#techgadgets", "#battlestation", "#homeoffice", "#techdeals",
            "#minimalsetup",
        ),
        "handle_words": (
            "unboxedby", "techtalkwith", "circuitsandcoffee", "pixelperfect", "thegadgetguy", "setupdiaries",
            "bytesized", "wiredwith", "chargeddaily", "specsheet",
        ),
        "bio_lines": (
            "Honest tech reviews, no fluff", "Desk setups & productivity", "Ex-Apple Genius",
            "Gadgets under $50 every Friday", "Software engineer who reviews stuff", "Unboxing everything 📦",
            "Tech tips for normal people", "Smart home nerd",
        ),
        "categories": ("Technology", "Tech", "Electronics", "Reviews"),
        "brand_stems": ("Volt", "Pixel", "Byte", "Circuit", "Flux", "Nano", "Orbit", "Signal"),
        "products": (
            "wireless earbuds", "USB-C charging hubs", "smart home sensors", "mechanical keyboards",
            "portable monitors", "phone cases", "webcams for creators", "smart watches",
        ),
        "audiences": (
            "tech enthusiasts and early adopters", "remote workers upgrading their desk setup",
            "students buying a first laptop", "smart home tinkerers", "creators who need reliable tech gear",
            "people who want their gadgets to just work",
        ),
        "values": (
            "Great tech should be repairable and last for years.",
            "We design gadgets for privacy first: your data stays on your device.",
            "Premium tech features, honest prices.", "We test every gadget for 1,000 hours before launch.",
            "Less clutter, more focus.", "Every cable recycled, every box plastic-free.",
        ),
        "emoji": ("📱", "💻", "🎧", "⌚", "🔌", "⚡"),
    },
    "gaming": {
        "topics": (
            "ranked grinds", "speedruns", "indie games", "RPG playthroughs", "boss fights", "gaming setups",
            "console wars", "retro games", "Nintendo Switch", "PS5 exclusives", "PC builds", "esports",
            "patch notes", "new releases", "co-op nights", "open-world games", "cozy games", "Stardew Valley",
            "Minecraft builds", "Elden Ring", "Fortnite seasons", "Valorant clutches", "game clips",
            "highlights", "streaming schedules", "game reviews", "hidden achievements", "controllers",
            "gaming chairs", "Steam sales", "horror games", "soulslikes", "roguelikes", "Zelda", "Pokemon",
            "game soundtracks", "tier lists", "loadouts", "mods", "lore deep dives", "first impressions",
            "100% completion", "handheld gaming",
        ),
        "activities": (
            "playing", "grinding", "streaming", "speedrunning", "clutching", "beating", "reviewing",
            "modding", "ranking", "building", "replaying", "unlocking", "testing", "exploring", "finishing",
            "trying", "breaking down", "theorycrafting", "carrying", "collecting", "farming", "chilling with",
        ),
        "descriptors": (
            "cozy", "sweaty", "competitive", "underrated", "nostalgic", "chaotic", "hardcore", "casual",
            "cursed", "legendary", "buggy", "beautiful", "addictive", "rage-inducing", "wholesome", "hidden",
            "insane", "overpowered", "pixel-perfect", "frustrating", "epic", "relaxing",
        ),
        "hashtags": (
            "#gaming", "#gamer", "#videogames", "#twitch", "#gamingcommunity", "#pcgaming", "#ps5",
            "#nintendoswitch", "#xbox", "#gamingsetup", "#streamer", "#indiegames", "#retrogaming",
            "#esports", "#gamersofinstagram", "#gamingclips", "#cozygames", "#speedrun", "#minecraft",
            "#fortnite", "#valorant", "#eldenring", "#gamingtok", "#gameplay", "#pcbuild", "#steamdeck",
            "#twitchstreamer", "#gamingmemes",
        ),
        "handle_words": (
            "pixelpilot", "respawnrosie", "gamerdad", "noobmaster", "controllerclub", "lootdrop",
            "critical_hit", "savepoint", "lagfree", "pressstart",
        ),
        "bio_lines": (
            "Variety streamer | Mon/Wed/Fri 7pm", "Cozy games & cozier vibes 🎮",
            "Speedrunner (WR holder, briefly)", "Twitch affiliate", "Retro collector | 400+ cartridges",
            "Just a gamer dad", "Ranked Immortal, humble about it", "Reviews for busy gamers",
        ),
        "categories": ("Gaming", "Video Creator", "Gamer", "Entertainment"),
        "brand_stems": ("Pixel", "Respawn", "Loot", "Quest", "Arcade", "Glitch", "Boss", "Combo"),
        "products": (
            "gaming headsets", "mechanical gaming keyboards", "gaming chairs", "wireless controllers",
            "game subscription services", "capture cards", "gaming monitors", "energy drinks for gamers",
        ),
        "audiences": (
            "PC and console gamers", "streamers building an audience", "cozy game fans",
            "competitive esports players", "retro game collectors",
            "parents who play video games with their kids",
        ),
        "values": (
            "Games bring people together, online and off.",
            "Built for competitive gaming and tested by esports pros.",
            "We support indie game developers with every sale.", "Fair play, no pay-to-win.",
            "Comfort for the long gaming sessions.", "Level up your gaming setup without breaking the bank.",
        ),
        "emoji": ("🎮", "🕹️", "👾", "🏆", "🔥", "💀"),
    },
    "photography": {
        "topics": (
            "golden hour", "portrait sessions", "street photography", "film photography", "35mm film",
            "landscape shots", "long exposures", "lens reviews", "camera settings", "Lightroom presets",
            "editing workflows", "composition tips", "night photography", "astrophotography",
            "wedding shoots", "product photography", "drone shots", "black and white", "prime lenses",
            "mirrorless cameras", "light painting", "studio lighting", "flash photography", "photo walks",
            "macro shots", "bokeh", "film stocks", "darkroom prints", "photo books", "wildlife photography",
            "reflections", "rule of thirds", "camera bags", "tripods", "ND filters", "RAW editing",
            "colour grading", "self portraits", "candid moments", "street portraits", "blue hour",
            "contact sheets",
        ),
        "activities": (
            "shooting", "editing", "capturing", "testing", "framing", "scanning", "developing", "printing",
            "chasing", "composing", "exposing", "retouching", "grading", "planning", "scouting", "reviewing",
            "experimenting with", "practising", "teaching", "photographing", "sharing", "cataloguing",
        ),
        "descriptors": (
            "moody", "cinematic", "grainy", "crisp", "dreamy", "high-contrast", "soft", "vibrant", "minimal",
            "candid", "analog", "sharp", "warm", "misty", "dramatic", "quiet", "timeless", "muted", "backlit",
            "natural-light", "gritty", "ethereal",
        ),
        "hashtags": (
            "#photography", "#photooftheday", "#streetphotography", "#filmphotography", "#35mm",
            "#portraitphotography", "#landscapephotography", "#photographer", "#lightroom", "#goldenhour",
            "#shotoniphone", "#canon", "#nikon", "#sonyalpha", "#fujifilm", "#analogphotography",
            "#blackandwhitephotography", "#naturephotography", "#longexposure", "#photoediting",
            "#astrophotography", "#bokeh", "#filmisnotdead", "#photowalk", "#moodygrams", "#visualsoflife",
            "#streetshot", "#portrait",
        ),
        "handle_words": (
            "shutterstories", "lensandlight", "frame_by", "f1.8diaries", "grainandglow", "exposedby",
            "thelightchaser", "filmrolls", "apertureandink", "snapsby",
        ),
        "bio_lines": (
            "Film & digital | Fuji X-T5", "Street photographer in Tokyo 📷",
            "Wedding photographer | booking 2026", "Lightroom presets in link", "Chasing light since 2009",
            "Canon ambassador", "Analog only", "Teaching composition online",
        ),
        "categories": ("Photographer", "Photography", "Art", "Visual Arts"),
        "brand_stems": ("Lens", "Shutter", "Aperture", "Frame", "Focus", "Prism", "Exposure", "Flash"),
        "products": (
            "mirrorless cameras", "prime lenses", "camera bags", "Lightroom preset packs", "film stocks",
            "travel tripods", "photo editing software", "photo book printing",
        ),
        "audiences": (
            "hobby photographers upgrading gear", "film photography fans",
            "wedding and portrait photographers", "travel photographers",
            "phone photographers learning the basics", "photography students",
        ),
        "values": (
            "Great photos come from light, patience and the right camera.",
            "We keep film photography alive and affordable.",
            "Every lens is built to be repaired, not replaced.",
            "Photography education should be open to everyone.",
            "Camera tools that get out of the way of the moment.",
            "Print your photos: memories deserve paper.",
        ),
        "emoji": ("📷", "📸", "🎞️", "🌅", "✨", "🌃"),
    },
    "books": {
        "topics": (
            "book hauls", "TBR piles", "fantasy series", "romance novels", "thrillers", "literary fiction",
            "book club picks", "reading slumps", "annotated books", "audiobooks", "library hauls", "classics",
            "reading challenges", "poetry collections", "book reviews", "monthly wrap-ups",
            "enemies to lovers", "cozy mysteries", "sci-fi epics", "debut novels", "non-fiction reads",
            "memoirs", "bookshelves", "special editions", "indie bookshops", "reading journals",
            "book tropes", "five-star reads", "DNF books", "book-to-movie adaptations", "bookish merch",
            "historical fiction", "graphic novels", "short story collections", "book recommendations",
            "reading goals", "booktok favourites", "signed copies", "book covers", "summer reads",
            "dark academia", "fantasy maps",
        ),
        "activities": (
            "reading", "finishing", "reviewing", "annotating", "rereading", "devouring", "recommending",
            "hauling", "ranking", "starting", "listening to", "organising", "buddy-reading", "discussing",
            "rating", "unboxing", "shelving", "binge-reading", "gushing about", "sobbing over", "recapping",
            "collecting",
        ),
        "descriptors": (
            "cozy", "heartbreaking", "gripping", "slow-burn", "unputdownable", "underrated", "spicy",
            "atmospheric", "twisty", "beautifully written", "hyped", "comforting", "dark", "whimsical",
            "five-star", "emotional", "thought-provoking", "fast-paced", "quiet", "magical", "overhyped",
            "haunting",
        ),
        "hashtags": (
            "#bookstagram", "#booktok", "#books", "#reading", "#bookworm", "#booklover",
            "#bookrecommendations", "#tbr", "#bookreview", "#bookclub", "#currentlyreading", "#fantasybooks",
            "#romancebooks", "#bookish", "#readersofinstagram", "#booknerd", "#bookhaul", "#amreading",
            "#bookaddict", "#thrillerbooks", "#annotatedbooks", "#readingchallenge", "#bookshelf",
            "#darkacademia", "#audiobooks", "#kindle", "#literaryfiction", "#booksofinstagram",
        ),
        "handle_words": (
            "pagesandtea", "readwith", "bookishbea", "chapterandverse", "spinecracker", "thetbrpile",
            "shelfie_stories", "inkandpages", "bookedsolid", "dogearedreads",
        ),
        "bio_lines": (
            "Reading 100 books a year 📚", "Fantasy & romance reviews", "Bookseller by day, reader by night",
            "Booktube + bookstagram", "Annotating everything", "Book club host | monthly picks",
            "Librarian who reads too much", "Currently reading ↓",
        ),
        "categories": ("Books", "Book Blogger", "Reading", "Literature"),
        "brand_stems": ("Page", "Chapter", "Ink", "Spine", "Quill", "Shelf", "Folio", "Story"),
        "products": (
            "book subscription boxes", "e-readers", "audiobook memberships", "special edition hardbacks",
            "reading journals", "bookish candles", "online book clubs", "annotation kits",
        ),
        "audiences": (
            "avid readers and book clubs", "fantasy and romance readers", "BookTok readers",
            "students and lifelong learners", "audiobook listeners", "collectors of special edition books",
        ),
        "values": (
            "Stories change lives, and we want more people reading.",
            "We champion independent bookshops and debut authors.",
            "Every book we sell funds literacy programs.", "Reading should be cozy, social and for everyone.",
            "Beautiful books made to be kept.", "More pages, less screen time.",
        ),
        "emoji": ("📚", "📖", "☕", "✨", "🕯️", "🔖"),
    },
    "zero_waste": {
        "topics": (
            "plastic-free swaps", "refill shops", "composting", "bulk shopping", "beeswax wraps",
            "reusable bottles", "bamboo toothbrushes", "shampoo bars", "package-free groceries",
            "cloth napkins", "low-waste kitchens", "food waste", "mason jars", "laundry strips",
            "safety razors", "menstrual cups", "reusable cotton pads", "trash audits", "plastic-free July",
            "repair cafes", "DIY cleaners", "vinegar cleaning", "upcycled containers",
            "zero-waste travel kits", "tote bags", "reusable coffee cups", "bokashi bins", "worm farms",
            "refillable deodorant", "eco bricks", "solid dish soap", "low-waste lunches", "recycling myths",
            "plastic-free bathrooms", "library of things", "buy nothing groups", "glass straws",
            "loose-leaf tea", "bin-free weeks", "refill subscriptions", "waste-free parties",
            "natural sponges",
        ),
        "activities": (
            "swapping", "refilling", "composting", "reducing", "reusing", "repairing", "auditing", "making",
            "switching to", "ditching", "finding", "testing", "sharing", "shopping for", "sorting",
            "cutting down on", "rethinking", "starting", "organising", "avoiding", "saving", "tracking",
        ),
        "descriptors": (
            "plastic-free", "low-waste", "reusable", "package-free", "compostable", "simple",
            "budget-friendly", "homemade", "secondhand", "minimal", "eco-friendly", "refillable",
            "sustainable", "natural", "circular", "imperfect", "easy", "practical", "long-lasting",
            "non-toxic", "local", "thrifty",
        ),
        "hashtags": (
            "#zerowaste", "#plasticfree", "#lowwaste", "#sustainableliving", "#ecofriendly",
            "#zerowastelifestyle", "#reduce", "#reuse", "#recycle", "#plasticfreejuly", "#sustainability",
            "#refill", "#compost", "#gogreen", "#lesswaste", "#zerowasteliving", "#ecoliving",
            "#climateaction", "#slowliving", "#secondhand", "#reusable", "#wasteless", "#earthfriendly",
            "#zerowastehome", "#plasticfreeliving", "#nozerowaste", "#bulkfood", "#ecotips",
        ),
        "handle_words": (
            "lesswastelucy", "jarsandjute", "plasticfreepaula", "refillrevolution", "thelowwastelife",
            "compostqueen", "greenswaps", "wastenotwilla", "mindfulbins", "earthkindhome",
        ),
        "bio_lines": (
            "Our family's trash fits in one jar (almost)", "Plastic-free since 2019 ♻️",
            "Low waste, not zero waste", "Refill shop owner", "Imperfect environmentalist 🌍",
            "Swaps that actually save money", "Composting in a city flat", "Climate-conscious mum of 2",
        ),
        "categories": ("Sustainability", "Eco", "Environment", "Lifestyle"),
        "brand_stems": ("Refill", "Jar", "Terra", "Leaf", "Earth", "Loop", "Bare", "Eco"),
        "products": (
            "shampoo bars", "refillable cleaning kits", "beeswax food wraps", "compost bins",
            "reusable water bottles", "laundry detergent strips", "bamboo toothbrushes",
            "refill subscription boxes",
        ),
        "audiences": (
            "eco-conscious households", "people starting to cut plastic", "refill shop customers",
            "climate-conscious families", "students going low waste on a budget",
            "minimalists who hate waste",
        ),
        "values": (
            "Zero waste is a direction, not a perfect destination.",
            "Every product is plastic-free, refillable or compostable.",
            "We take back our packaging and reuse it.", "Small plastic-free swaps, big impact, together.",
            "We publish our carbon footprint every year.", "Reduce first, recycle last.",
        ),
        "emoji": ("♻️", "🌍", "🌱", "🫙", "🐝", "💚"),
    },
}

# Vocabulary two neighbouring niches share, so their captions overlap as real ones do.
NEIGHBOUR_VOCAB: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "vegan_food",
        "zero_waste",
        (
            "bulk bin hauls", "plastic-free pantry", "veggie scrap stock", "glass jar storage",
            "zero-waste grocery runs", "reusable produce bags", "farmers market produce",
            "leftover makeovers", "homemade oat milk", "food scrap broth", "seasonal veg boxes",
            "lentils from the bulk store",
        ),
    ),
    (
        "vegan_food",
        "baking",
        (
            "vegan cinnamon rolls", "egg-free sponge", "aquafaba macarons", "dairy-free buttercream",
            "flax eggs", "vegan banana bread", "plant-based pastry", "coconut cream frosting",
            "vegan cookies", "oat flour muffins",
        ),
    ),
    (
        "baking",
        "coffee",
        (
            "coffee cake", "espresso brownies", "tiramisu", "almond biscotti", "morning pastries",
            "mocha cupcakes", "cafe-style croissants", "coffee and cake pairings", "cardamom buns",
            "scones with a flat white",
        ),
    ),
    (
        "coffee",
        "books",
        (
            "cafe reading nooks", "slow mornings with a novel", "bookshop cafes", "coffee and a chapter",
            "rainy day reads", "library cafe dates", "latte and annotations", "cozy reading corners",
            "book club coffee", "pour-over and a paperback",
        ),
    ),
    (
        "fitness",
        "running",
        (
            "interval training", "VO2 max", "strength for runners", "mobility drills", "heart rate zones",
            "recovery days", "protein timing", "plyometrics", "cross-training", "foam rolling",
            "training blocks", "single-leg strength",
        ),
    ),
    (
        "fitness",
        "yoga",
        (
            "mobility flows", "core strength", "active recovery", "breathwork", "flexibility routines",
            "pilates mat work", "stretching sessions", "balance drills", "hip mobility",
            "mind-muscle connection",
        ),
    ),
    (
        "running",
        "cycling",
        (
            "endurance base", "brick workouts", "Strava segments", "duathlon training", "zone 2 sessions",
            "triathlon season", "energy gels", "cadence drills", "race day nutrition", "training peaks",
        ),
    ),
    (
        "skincare",
        "makeup",
        (
            "skin prep", "primers", "SPF under makeup", "dewy base", "double cleansing", "makeup removal",
            "hydrating serums", "glass skin", "tinted moisturisers", "no-makeup makeup",
            "sensitive skin formulas", "barrier-friendly foundation",
        ),
    ),
    (
        "sustainable_fashion",
        "zero_waste",
        (
            "capsule wardrobes", "visible mending", "clothing swaps", "secondhand hauls", "repair cafes",
            "natural fibres", "slow living", "upcycled denim", "thrift flips", "low-impact laundry",
            "cost per wear",
        ),
    ),
    (
        "sustainable_fashion",
        "streetwear",
        (
            "vintage sneakers", "deadstock fabric", "thrifted hoodies", "archive pieces", "resale drops",
            "upcycled jackets", "vintage band tees", "secondhand grails",
        ),
    ),
    (
        "hiking_camping",
        "travel",
        (
            "national parks", "road trips", "mountain huts", "backpacking routes", "scenic trails",
            "hidden lakes", "alpine villages", "trail towns", "van life", "sunrise viewpoints",
            "packing lists", "adventure travel insurance",
        ),
    ),
    (
        "hiking_camping",
        "cycling",
        (
            "bikepacking", "gravel routes", "wild camping spots", "frame bags", "bivvy nights",
            "mountain passes", "trail mix fuel", "gravel and camp weekends",
        ),
    ),
    (
        "hiking_camping",
        "pets",
        (
            "hiking with dogs", "dog-friendly trails", "trail dog gear", "paw protection", "pup tents",
            "muddy paws after the summit", "adventure dogs", "dog backpacks",
        ),
    ),
    (
        "travel",
        "photography",
        (
            "golden hour spots", "travel photography", "drone shots", "street scenes", "sunrise shoots",
            "city skylines", "landscape photos", "photo walks abroad", "camera bags for travel",
            "lens choices for trips",
        ),
    ),
    (
        "hiking_camping",
        "photography",
        (
            "astrophotography at camp", "mountain landscapes", "milky way shots", "alpine glow",
            "waterfall long exposures", "wildlife spotting",
        ),
    ),
    (
        "parenting",
        "pets",
        (
            "kids and dogs", "family pets", "first puppy with toddlers", "pet-friendly family routines",
            "fur siblings", "teaching kids pet care",
        ),
    ),
    (
        "parenting",
        "books",
        (
            "bedtime stories", "picture books", "kids book hauls", "reading with toddlers",
            "library visits with the kids", "chapter books for 7 year olds",
        ),
    ),
    (
        "home_decor",
        "diy_crafts",
        (
            "furniture flips", "paint makeovers", "furniture upcycling", "gallery walls",
            "peel-and-stick wallpaper", "DIY shelving", "macrame wall hangings", "rental-friendly hacks",
            "handmade ceramics", "budget room makeovers",
        ),
    ),
    (
        "home_decor",
        "gardening",
        (
            "houseplants", "plant shelfies", "indoor jungles", "balcony gardens", "terracotta pots",
            "greenhouse styling", "fresh-cut flowers", "window boxes",
        ),
    ),
    (
        "gardening",
        "zero_waste",
        (
            "compost bins", "seed saving", "rainwater collection", "grow your own veg",
            "kitchen scrap regrowing", "worm bins", "no-dig beds", "homegrown herbs",
        ),
    ),
    (
        "diy_crafts",
        "zero_waste",
        (
            "fabric scraps", "upcycled jars", "repair projects", "sewing from old clothes",
            "beeswax wrap making", "patchwork", "reclaimed wood",
        ),
    ),
    (
        "personal_finance",
        "zero_waste",
        (
            "frugal living", "no-spend months", "buying less", "meal planning on a budget",
            "secondhand savings", "budget grocery hauls", "minimalism", "cost of living hacks",
        ),
    ),
    (
        "personal_finance",
        "tech_gadgets",
        (
            "budget tech", "subscription audits", "cashback apps", "best value laptops", "fintech apps",
            "price tracking", "refurbished phones",
        ),
    ),
    (
        "tech_gadgets",
        "gaming",
        (
            "gaming laptops", "mechanical keyboards", "GPU upgrades", "desk setups", "gaming monitors",
            "RGB lighting", "headset reviews", "handheld consoles", "PC builds",
        ),
    ),
    (
        "tech_gadgets",
        "photography",
        (
            "mirrorless cameras", "phone camera tests", "editing laptops", "camera gimbals", "SD cards",
            "photo editing apps", "drone reviews",
        ),
    ),
)

# Caption templates. Slots: {o} opener, {a} activity, {t}/{t2}/{t3} topics, {T} capitalised topic,
# {d}/{d2} descriptors, {D}/{D2} capitalised ones, {e} emoji, {n} number, {day}, {h} hour, {user}, {reaction}.
GENERAL_TEMPLATES: tuple[str, ...] = (
    "{o} {a} {t} today {e}", "{D} {t} > everything else {e}", "Spent the morning {a} {t}. {D2} and worth it.",
    "Day {n} of {a} {t} {e}", "POV: you finally nailed {d} {t}",
    "3 things nobody tells you about {t}: it takes patience, {t2} matters a lot, {d} beats perfect.",
    "Tried {a} {t} with {t2} and honestly? {reaction}", "Swipe for my {d} {t} {e} →",
    "{day} reset: {t}, {t2} and a lot of {t3}", "Unpopular opinion: {t} is overrated, {t2} is where it's at",
    "Q: how do you get {d} {t}? A: keep {a} it, every single week.",
    "My {d} {t} routine, start to finish {e}", "If you only try one thing this week, make it {d} {t}",
    "Beginner mistakes with {t} (I made all of them) {e}", "{T} vs {t2}: which team are you?",
    "Currently obsessed with {d} {t} {e}{e}", "Little update: still {a} {t}, still loving it",
    "{D} {t}, {d2} {t2}. That's the post.", "Rating every {t} I tried this month (1–10) {e}",
    "Ok but why did nobody tell me {a} {t} was this easy", "Before vs after {a} {t} {e}",
    "{n} weeks of {a} {t}: here's what changed", "The {d} {t} I keep coming back to {e}",
    "Everything I know about {t} in one post 👇", "When the {t} turns out {d} on the first try {e}",
    "Quick one today: {d} {t} and a little {t2}", "Things I'd tell myself before {a} {t}",
    "Small wins: {a} {t} without overthinking it {e}",
)

LIVE_TEMPLATES: tuple[str, ...] = (
    "Going live {day} at {h}pm for a Q&A on {t}, drop your questions below 👇",
    "LIVE Q&A this {day}! Ask me anything about {t} and {t2} {e}",
    "Thanks to everyone who joined the live! We covered {t}, {t2} and so many of your questions",
    "Live now: {a} {t} together 🔴", "Replay of yesterday's live Q&A on {d} {t} is up",
    "Going live Thursday for a Q&A on {t}. Bring your questions!",
    "Join me live at {h}pm: {a} {t} in real time {e}",
)

SHOP_TEMPLATES: tuple[str, ...] = (
    "Tap to shop my {d} {t} picks 🛍️", "Shop the post: everything I used for {a} {t}",
    "My {t} essentials are now shoppable ✨ tap the tags", "New in my storefront: {d} {t} {e}",
    "Shop my favourite {t}, all linked in the tags",
    "Tagged everything in this {d} {t} setup so you can shop it 🛒",
)

UGC_TEMPLATES: tuple[str, ...] = (
    "Community feature 💛 @{user} tried my {t} and nailed it", "Reposting @{user}'s {d} {t} because wow {e}",
    "Your {t} photos made my week, featuring @{user}", "UGC sample: unboxing and testing {d} {t}",
    "UGC reel: a honest first look at {t} {e}",
    "You sent me your {t}, so here's a round-up (first up: @{user})",
)

DETAIL_TEMPLATES: tuple[str, ...] = (
    "Full details below 👇", "More in my stories.", "Took me {n} tries to get here.",
    "Honestly still learning.", "Thanks for all the love on the last post!", "Part {n} coming soon.",
    "{D} {t2} next?", "Which one would you pick?", "Not perfect, but I'm proud of it.",
    "You asked, so here it is.", "Saving this one to my highlights.", "{n} weeks in and I'm hooked.",
    "Also: {t2} update soon.", "Zero regrets.",
)

CTA_TEMPLATES: tuple[str, ...] = (
    "Save this for later 📌", "Tag someone who needs this", "What would you add? 👇",
    "Drop a {e} if you'd try this", "Follow for more {t2}", "Let me know in the comments!",
    "Share this with a friend", "Questions? Ask below 👇", "Double tap if you agree",
    "Which one is your favourite?", "Send this to your group chat",
    "Comment 'YES' and I'll DM you the details", "Turn on notifications so you don't miss part 2",
    "Full video on my channel", "Link in bio for more", "More tips on my page", "Bookmark this one",
    "Tell me I'm not the only one 😅", "Would you try it? Yes or no?", "Rate it 1–10 👇",
)

OPENERS: tuple[str, ...] = (
    "Finally", "Okay so", "Not me", "Just", "Still", "Back to", "Currently", "Honestly, I love", "Can't stop",
    "Officially", "Spent today", "Guess who's", "Started", "Been", "Lowkey obsessed with", "Another day,",
    "Weekend =", "Morning spent", "Friday night:", "Tuesday vibes:",
)

REACTIONS: tuple[str, ...] = (
    "life-changing", "not bad at all", "10/10 would do again", "still thinking about it",
    "a total game changer", "obsessed", "mixed feelings tbh", "better than expected", "never going back",
    "chef's kiss", "a work in progress", "surprisingly easy",
)

DAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)

GENERIC_EMOJI: tuple[str, ...] = ("✨", "🙌", "😍", "❤️", "🔥", "😊", "💛", "👏", "🥰", "😅", "🤍", "👌")

PLATFORM_HASHTAGS: dict[str, tuple[str, ...]] = {
    "instagram": ("#reels", "#instagood", "#explorepage", "#reelsinstagram", "#instadaily"),
    "tiktok": ("#fyp", "#foryou", "#foryoupage", "#viral", "#tiktok"),
    "youtube": ("#shorts", "#youtube", "#subscribe", "#youtuber"),
}

# Off-niche posts: weekends, family, moods, weather and random life.
LIFESTYLE_TEMPLATES: tuple[str, ...] = (
    "Lazy {day} with {person} {e}", "Weekend plans: {thing} and absolutely nothing else",
    "Current mood: {feeling} {e}", "{Weather} days call for {thing}", "Family time > everything {e}",
    "Happy birthday to my favourite {person} {e}", "Can't believe it's already {month}",
    "Throwback to {place} with {person} {e}", "Not every post has to be about work. Here's {thing} {e}",
    "Sunday scaries hitting hard, so {thing} it is", "A little life update: {feeling}, busy, grateful",
    "Date night with {person} {e}", "Nothing planned this {day} except {thing}",
    "{Weather} outside, {thing} inside {e}", "Feeling {feeling} lately and that's okay",
    "Random camera roll dump {e}", "Spent the afternoon at {place}",
    "Reminder to drink water and call your {person}", "Moving house update: boxes everywhere {e}",
    "When your {person} says 'just one more episode' {e}", "Photo dump from the last few weeks",
    "Grateful for {person} time, {thing} and slow {day}s", "Is it just me or is this week never ending?",
    "That {day} feeling {e}", "New haircut, who dis {e}", "Spontaneous trip to {place} because why not",
    "{Weather} {day} = {thing}", "Holiday mode: on {e}", "Recharging my social battery with {thing}",
    "Me, my {person} and {thing}. Perfect combo.", "Some days are just for {thing} {e}",
    "Caught the sunset at {place} tonight {e}",
    "{month} recap: {feeling}, a bit of {thing}, lots of {person} time",
)

LIFESTYLE_THINGS: tuple[str, ...] = (
    "pizza and a movie", "a long nap", "board games", "brunch", "a bubble bath", "a walk in the park",
    "ice cream", "karaoke", "takeaway", "a new TV series", "a picnic", "face masks and gossip", "pancakes",
    "a museum visit", "live music", "a lie-in", "a long phone call", "sushi", "dancing in the kitchen",
    "jigsaw puzzles", "tidying up", "a concert", "a spa day", "sunset drinks", "fairy lights",
    "a family barbecue", "a road to nowhere", "hot chocolate", "cartoons", "a bowling night", "mini golf",
    "popcorn",
)

FEELINGS: tuple[str, ...] = (
    "grateful", "tired but happy", "a bit overwhelmed", "so content", "nostalgic", "excited", "reflective",
    "unstoppable", "lazy", "hopeful", "chaotic", "sleepy", "inspired", "giddy", "calm", "restless", "blessed",
    "soft",
)

WEATHER: tuple[str, ...] = (
    "rainy", "sunny", "snowy", "grey", "windy", "stormy", "foggy", "hot", "freezing", "cloudy",
)

PEOPLE: tuple[str, ...] = (
    "bestie", "mum", "dad", "sister", "brother", "partner", "husband", "wife", "best friend", "grandma",
    "flatmates", "little cousin", "college friends", "girls", "boys",
)

PLACES: tuple[str, ...] = (
    "the beach", "grandma's house", "the lake", "my hometown", "the city", "the countryside", "the fair",
    "the seaside", "a friend's wedding", "the cinema", "the zoo", "a festival", "the park", "the old harbour",
)

LIFESTYLE_HASHTAGS: tuple[str, ...] = (
    "#weekendvibes", "#mood", "#family", "#sundayfunday", "#lifestyle", "#goodvibes", "#dailylife",
    "#throwback", "#tbt", "#happyplace", "#selfcare", "#friends", "#memories", "#photooftheday", "#instagood",
    "#lifelately", "#sunset", "#rainyday", "#birthday", "#datenight", "#summer", "#autumnvibes",
    "#mondaymood", "#realtalk", "#photodump",
)

# Short real sentences in other languages; {t} takes an (English) niche topic, as creators often mix.
FOREIGN_TEMPLATES: dict[str, tuple[str, ...]] = {
    "es": (
        "¡Por fin {t} hoy! {e}", "Nuevo post sobre {t}, ¿qué opinan?",
        "Fin de semana perfecto con {t} y buena compañía", "Mi rutina de {t} favorita, paso a paso",
        "¿Ustedes también aman {t}? Cuéntenme abajo 👇", "Hoy toca descansar, mañana más {t}",
        "Gracias por todo el cariño en el último video ❤️", "Domingo de familia, café y cero planes",
        "Probando {t} por primera vez… ¡me encantó!", "Guarda este post para después 📌",
        "Qué día tan bonito para salir", "Les comparto mis consejos de {t}",
    ),
    "de": (
        "Endlich wieder {t} {e}", "Neuer Beitrag über {t}: was meint ihr?",
        "Perfektes Wochenende mit {t} und guten Freunden",
        "Meine liebste Routine für {t}, Schritt für Schritt", "Wer liebt {t} genauso wie ich? 👇",
        "Heute Pause, morgen wieder {t}", "Danke für eure lieben Kommentare ❤️",
        "Sonntag mit Familie, Kaffee und keinen Plänen",
        "Zum ersten Mal {t} ausprobiert… ich bin begeistert!", "Speichert euch den Beitrag für später 📌",
        "Was für ein schöner Tag draußen", "Meine Tipps zu {t} findet ihr hier",
    ),
    "fr": (
        "Enfin {t} aujourd'hui {e}", "Nouveau post sur {t}, vous en pensez quoi ?",
        "Week-end parfait avec {t} et des amis", "Ma routine {t} préférée, étape par étape",
        "Vous aussi vous adorez {t} ? Dites-moi tout 👇", "Pause aujourd'hui, demain encore plus de {t}",
        "Merci pour tous vos messages ❤️", "Dimanche en famille, café et zéro projet",
        "J'ai testé {t} pour la première fois… j'adore !", "Enregistrez ce post pour plus tard 📌",
        "Quelle belle journée pour sortir", "Mes conseils pour {t} sont ici",
    ),
    "pt": (
        "Finalmente {t} hoje {e}", "Post novo sobre {t}, o que vocês acham?",
        "Fim de semana perfeito com {t} e amigos", "Minha rotina de {t} favorita, passo a passo",
        "Vocês também amam {t}? Me contem aqui 👇", "Hoje é dia de descanso, amanhã tem mais {t}",
        "Obrigada por todo o carinho ❤️", "Domingo em família, café e nenhum plano",
        "Testei {t} pela primeira vez… amei!", "Salva esse post pra depois 📌", "Que dia lindo para sair",
        "Minhas dicas de {t} estão aqui",
    ),
    "it": (
        "Finalmente {t} oggi {e}", "Nuovo post su {t}, che ne pensate?", "Weekend perfetto con {t} e amici",
        "La mia routine di {t} preferita, passo dopo passo", "Anche voi amate {t}? Scrivetemi qui sotto 👇",
        "Oggi riposo, domani ancora {t}", "Grazie per tutto l'affetto ❤️",
        "Domenica in famiglia, caffè e nessun programma", "Ho provato {t} per la prima volta… che bello!",
        "Salvate questo post per dopo 📌", "Che bella giornata per uscire", "I miei consigli su {t} sono qui",
    ),
}

FOREIGN_COMMENTS: dict[str, tuple[str, ...]] = {
    "es": ("¡Qué bonito! 😍", "Me encanta", "¡Increíble!", "¡Gracias por compartir!", "Quiero probarlo 🙌"),
    "de": ("Wie schön! 😍", "Mega!", "Liebe es", "Danke fürs Teilen!", "Muss ich ausprobieren 🙌"),
    "fr": ("Trop beau 😍", "J'adore", "Incroyable !", "Merci pour le partage !", "Je dois essayer 🙌"),
    "pt": ("Que lindo! 😍", "Amei", "Incrível!", "Obrigada por compartilhar!", "Preciso testar 🙌"),
    "it": ("Che bello! 😍", "Adoro", "Fantastico!", "Grazie per la condivisione!", "Devo provarlo 🙌"),
}

FOREIGN_BIOS: dict[str, tuple[str, ...]] = {
    "es": ("Vivir, amar, viajar ✨", "Mamá, soñadora y amante del café", "Compartiendo mi día a día"),
    "de": ("Das Leben genießen 🌿", "Kaffee, Familie und gute Laune", "Mein Alltag in Bildern"),
    "fr": ("Profiter de chaque instant ✨", "Café, famille et bonne humeur", "Mon quotidien en photos"),
    "pt": ("Vivendo um dia de cada vez ✨", "Café, família e boas vibes", "Compartilhando meu dia a dia"),
    "it": ("Godersi la vita ✨", "Caffè, famiglia e buon umore", "Il mio quotidiano in foto"),
}

# Sponsored posts: the brand mention, the discount code, the affiliate link and the disclosure tags.
BRAND_MENTIONS: tuple[str, ...] = (
    "Thanks @{b} for making {a} {t} so easy", "My go-to for {t} is @{b}",
    "Teamed up with @{b} to bring you {d} {t}", "Obsessed with the new {t} range from @{b}",
    "Been using @{b} for weeks now and I'm hooked", "Loving my {t} kit from @{b} {e}",
    "Huge thanks to @{b} for the {d} {t} goodies", "@{b} sent me their {t} essentials and I have thoughts",
    "Everything in this {t} post is from @{b}", "Partnered with @{b} on this {d} {t} {e}",
)

CODE_TEMPLATES: tuple[str, ...] = (
    "use code {code} for {pct}% off", "code {code} = {pct}% off 💸", "{pct}% off with my code {code}",
    "use my code {code} at checkout for {pct}% off",
)

AFFILIATE_LINES: tuple[str, ...] = (
    "link in bio", "linked in my bio 🔗", "shop it through the link in my bio", "grab it via my bio link",
    "it's in my link in bio",
)

DISCLOSURE_TAGS: dict[str, str] = {
    "ad_hashtag": "#ad",
    "sponsored_hashtag": "#sponsored",
    "werbung": "#werbung",
}

# Comment texts. Pods post the generic ones; real followers mostly write specific ones.
GENUINE_COMMENTS: tuple[str, ...] = (
    "need to try this {t} asap", "where is the {t} from?", "your {t} always looks so {d}",
    "saving this for my next {t} attempt", "how long did the {t} take?", "ok this {t} is goals 😍",
    "I tried this and it worked!!", "is this beginner friendly?", "omg the {t} 😍",
    "this is exactly what I needed today", "do you have a link for the {t}?", "made this last week, so good",
    "the {d} {t} 🙌", "wait how is this so {d}", "can you do a video on {t} next?", "love this idea",
    "bookmarking!!", "thank you for sharing this 🙏", "this made my day", "yes to more {t} content",
    "{d} {t} is my weakness", "I've been looking for this, thank you",
    "how do you stay so consistent with {t}?", "sending this to my sister", "the way I gasped 😂",
)

LIFESTYLE_COMMENTS: tuple[str, ...] = (
    "have the best weekend!", "so cute 🥹", "miss you!!", "this looks like so much fun", "enjoy ☀️",
    "happy birthday!!", "sending love ❤️", "haha same", "relatable 😂", "gorgeous view", "rest up!",
    "love this for you", "you two are adorable", "take me with you next time",
)

GENERIC_COMMENTS: tuple[str, ...] = (
    "love this 🔥", "so good!", "😍😍", "🙌", "👏👏", "❤️", "great post!!", "amazing 😍", "wow", "nice!",
)

POD_COMMENTS: tuple[str, ...] = (
    "great post!!", "love this 🔥", "amazing content 👏", "so inspiring 🙌", "wow 😍😍", "nice pic!",
    "awesome!!", "keep it up 💯", "this is fire 🔥🔥", "beautiful ❤️", "great content!", "👏👏👏",
    "stunning!", "goals 🙌", "obsessed!!", "so good 😍", "love your feed ✨", "incredible shot", "perfect 👌",
    "yesss 🔥",
)

SPAM_COMMENTS: tuple[str, ...] = (
    "DM @{x} to get featured 💰", "Collab? Send us a DM 📩", "Promote it on @{x}", "Check your DMs 💌",
    "nice! follow back? 🔥", "Earn $500/day from home, DM me",
)

# Names and username pieces (creators, commenters).
FIRST_NAMES: tuple[str, ...] = (
    "Sam", "Ana", "Maya", "Leo", "Chloe", "Noah", "Priya", "Mateo", "Zoe", "Liam", "Aisha", "Lucas", "Emma",
    "Kai", "Sofia", "Ethan", "Nina", "Omar", "Grace", "Diego", "Hannah", "Ravi", "Isla", "Felix", "Mia",
    "Jonas", "Lena", "Marco", "Julia", "Theo", "Amara", "Hugo", "Clara", "Arjun", "Elena", "Ben", "Lucia",
    "Tom", "Ines", "Max", "Laura", "Jack", "Carmen", "Oscar", "Ella", "Rosa", "Finn", "Alice", "Dev", "Nora",
    "Pablo", "Ruby", "Sven", "Freya", "Luca", "Olivia", "Yusuf", "Camila", "Ellie", "Jade", "Milo", "Beatriz",
    "Rafael", "Tara", "Niamh", "Cian", "Emily", "Josh", "Anika", "Tessa", "Malik", "Lily", "Gabriel", "Ada",
    "Kofi", "Sara", "Dan", "Jess", "Martina", "Paul", "Vera", "Ahmed", "Layla", "Chris", "Tanvi", "Mariana",
    "Joao", "Giulia", "Matteo", "Nadia", "Erik", "Hana", "Kenji", "Mei", "Anna", "Will", "Katie", "Becca",
    "Jamie", "Alex", "Charlie", "Riley", "Sky", "Robin", "Andrea", "Tobi", "Femi", "Zara", "Imogen", "Ollie",
    "Harvey", "Poppy", "Georgia", "Luis", "Valentina", "Bruno", "Leah",
)

LAST_NAMES: tuple[str, ...] = (
    "Rivera", "Nguyen", "Smith", "Patel", "Garcia", "Müller", "Rossi", "Johnson", "Kim", "Silva", "Brown",
    "Dubois", "Lopez", "Williams", "Schmidt", "Martin", "Kowalski", "Jones", "Fischer", "Ferrari", "Costa",
    "Taylor", "Moreau", "Sanchez", "Walsh", "O'Brien", "Murphy", "Chen", "Singh", "Khan", "Andersson",
    "Jansen", "de Vries", "Bakker", "Romano", "Oliveira", "Santos", "Hernandez", "Wilson", "Evans", "Thomas",
    "Roberts", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams",
    "Nelson", "Hill", "Campbell", "Mitchell", "Carter", "Phillips", "Turner", "Parker", "Collins", "Edwards",
    "Stewart", "Morris", "Rogers", "Reed", "Cook", "Morgan", "Bell", "Ward", "Cooper", "Richardson", "Cox",
    "Howard", "Brooks", "Kelly", "Sanders", "Price", "Bennett", "Wood", "Barnes", "Ross", "Henderson",
    "Jenkins", "Perry", "Powell", "Long", "Hughes",
)

USERNAME_WORDS: tuple[str, ...] = (
    "sunny", "moon", "star", "wild", "happy", "little", "blue", "golden", "lazy", "cosmic", "urban",
    "coastal", "north", "daily", "simply", "just", "real", "its", "official", "xo", "vibes", "life", "world",
    "days", "notes", "journal", "diaries", "stories", "things", "style", "studio", "club", "crew", "lab",
    "hq", "tv", "loves", "eats", "snaps", "pics", "bits", "goes", "lately", "online", "here", "again", "too",
    "mood", "soul", "vibe", "kind", "bright", "honey", "peach", "mint", "coco", "pixel",
)

USERNAME_ADJECTIVES: tuple[str, ...] = (
    "sleepy", "quiet", "brave", "tiny", "sunny", "happy", "curious", "fuzzy", "clever", "gentle", "wandering",
    "dancing", "silly", "cozy", "stormy", "lucky", "electric", "velvet", "crimson", "salty", "sweet", "misty",
    "rusty", "midnight", "wild", "lonely", "swift", "bold", "lazy", "cheeky",
)

USERNAME_NOUNS: tuple[str, ...] = (
    "panda", "fox", "otter", "koala", "sparrow", "tiger", "falcon", "cactus", "mango", "pickle", "biscuit",
    "noodle", "comet", "pebble", "maple", "river", "cloud", "ember", "willow", "lemon", "badger", "owl",
    "penguin", "dumpling", "waffle", "nugget", "sprout", "raven", "llama", "moose",
)

GENERIC_BIOS: tuple[str, ...] = (
    "living my best life ✨", "just here for the vibes", "coffee, chaos & good vibes",
    "mama | wife | dreamer", "making memories one post at a time", "dream big, work hard", "creator",
    "good vibes only ✌️", "sharing bits of my life", "spreading positivity 🌈", "life is short, eat the cake",
    "collecting moments, not things", "blessed 🙏", "trying my best", "not a morning person",
    "DM for collabs", "follow the journey", "lover of sunsets", "here for a good time", "adventure awaits",
    "messy bun & getting stuff done", "enjoy the little things", "probably outside",
    "professional overthinker", "weekend warrior", "music | friends | food", "ENFP ✨",
    "just a girl with a phone", "dad of two, runs on snacks", "work in progress",
)

BIO_EXTRAS: tuple[str, ...] = (
    "📩 collabs: DM", "👇 latest video", "links below 👇", "UGC creator", "she/her", "he/him", "they/them",
    "new videos every {day}", "📧 {handle}@gmail.com", "business: {handle}@mgmt.co",
)

VAGUE_CATEGORIES: tuple[str, ...] = (
    "lifestyle", "creator", "digital creator", "blogger", "personal blog", "public figure", "entrepreneur",
    "artist", "content creator", "influencer", "just for fun",
)

DISPLAY_EMOJI: tuple[str, ...] = ("✨", "🌿", "☀️", "🌸", "💫", "🌊", "🍀", "🌙", "🦋", "⚡")

# Creator countries with their share, and the share of creators who write in the local language.
COUNTRIES: tuple[tuple[str, float], ...] = (
    ("US", 0.3),
    ("GB", 0.1),
    ("CA", 0.06),
    ("AU", 0.05),
    ("IE", 0.02),
    ("DE", 0.07),
    ("FR", 0.05),
    ("ES", 0.05),
    ("IT", 0.04),
    ("NL", 0.03),
    ("SE", 0.02),
    ("BR", 0.06),
    ("MX", 0.05),
    ("IN", 0.06),
    ("NZ", 0.01),
    ("PT", 0.01),
    ("AT", 0.01),
    ("CH", 0.01),
    ("ZA", 0.01),
)

COUNTRY_LANGUAGES: dict[str, tuple[str, float]] = {
    "DE": ("de", 0.75),
    "AT": ("de", 0.8),
    "CH": ("de", 0.5),
    "FR": ("fr", 0.75),
    "ES": ("es", 0.8),
    "MX": ("es", 0.8),
    "IT": ("it", 0.7),
    "BR": ("pt", 0.8),
    "PT": ("pt", 0.7),
}

CITIES: dict[str, tuple[str, ...]] = {
    "US": ("Austin", "Brooklyn", "Denver", "Portland", "Chicago", "LA", "Seattle", "Nashville"),
    "GB": ("London", "Manchester", "Bristol", "Leeds", "Glasgow", "Brighton"),
    "CA": ("Toronto", "Vancouver", "Montreal", "Calgary"),
    "AU": ("Sydney", "Melbourne", "Brisbane", "Perth"),
    "IE": ("Dublin", "Cork", "Galway"),
    "DE": ("Berlin", "München", "Hamburg", "Köln"),
    "FR": ("Paris", "Lyon", "Marseille", "Bordeaux"),
    "ES": ("Madrid", "Barcelona", "Valencia", "Sevilla"),
    "IT": ("Milano", "Roma", "Torino", "Bologna"),
    "NL": ("Amsterdam", "Utrecht", "Rotterdam"),
    "SE": ("Stockholm", "Göteborg", "Malmö"),
    "BR": ("São Paulo", "Rio", "Curitiba", "Belo Horizonte"),
    "MX": ("CDMX", "Guadalajara", "Monterrey"),
    "IN": ("Mumbai", "Bengaluru", "Delhi", "Pune"),
    "NZ": ("Auckland", "Wellington"),
    "PT": ("Lisboa", "Porto"),
    "AT": ("Wien", "Graz"),
    "CH": ("Zürich", "Basel"),
    "ZA": ("Cape Town", "Johannesburg"),
}

# Brand name pieces and generic value statements.
BRAND_SUFFIXES: tuple[str, ...] = (
    "Co", "& Co", "Labs", "Studio", "Supply", "Goods", "House", "Collective", "Works", "Club", "Project",
    "Company",
)

BRAND_ENDINGS: tuple[str, ...] = ("ly", "ify", "io", "ora", "ista", "hub", "lab", "wise", "nest", "kin")

BRAND_GENERIC_VALUES: tuple[str, ...] = (
    "Transparency over hype.", "We are a certified B Corp.", "Founded by two friends at a kitchen table.",
    "Inclusivity is not a campaign for us, it is the brief.", "We answer every customer email ourselves.",
    "Carbon-neutral shipping on every order.", "Small team, big standards.",
    "We would rather be useful than loud.", "Our packaging is 100% recyclable.",
    "Independent and proudly so.", "We donate 1% of revenue to local causes.",
    "Quality that lasts, prices that make sense.",
)

AUDIENCE_MODIFIERS: tuple[str, ...] = (
    "across Europe", "in North America", "in the UK and Ireland", "aged 18–34", "aged 25–45",
    "who shop on Instagram", "who love a bargain", "in big cities", "worldwide",
    "who value quality over quantity",
)
