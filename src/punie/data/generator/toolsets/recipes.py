"""A recipes API: search recipes, show one, scale it."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    array,
    integer,
    make_tool,
    one_call,
    request,
    string,
    to_json,
)

INGREDIENTS = (
    "chickpeas",
    "spinach",
    "chicken",
    "rice",
    "tomatoes",
    "tofu",
    "lentils",
    "mushrooms",
    "eggs",
    "feta",
)
DIETS = ["any", "vegetarian", "vegan", "gluten-free"]
DISHES = ("One-pot curry", "Sheet-pan traybake", "Quick stir-fry", "Warm salad", "Baked risotto", "Shakshuka")

RECIPES = (
    make_tool(
        "search_recipes",
        "Find recipes that use the given ingredients.",
        {
            "ingredients": array("Ingredients the recipe must use.", {"type": "string"}),
            "max_minutes": integer("Maximum total time in minutes."),
            "diet": string("Dietary filter (default any).", DIETS),
        },
        ["ingredients"],
    ),
    make_tool(
        "get_recipe",
        "Ingredients and steps of a recipe.",
        {"recipe_id": string("Recipe id, e.g. r_512.")},
        ["recipe_id"],
    ),
    make_tool(
        "scale_recipe",
        "Recalculate a recipe's ingredient amounts for a number of servings.",
        {"recipe_id": string("Recipe id, e.g. r_512."), "servings": integer("Number of servings.")},
        ["recipe_id", "servings"],
    ),
)


def _recipe_id(rng: random.Random) -> str:
    return f"r_{rng.randrange(100, 999)}"


def search_recipes(rng: random.Random) -> CallCase:
    wanted = rng.sample(INGREDIENTS, rng.choice((1, 2, 2)))
    arguments: dict[str, object] = {"ingredients": wanted}
    minutes = rng.choice((0, 0, 20, 30, 45))
    diet = rng.choice(("", "", "vegetarian", "vegan", "gluten-free"))
    if minutes:
        arguments["max_minutes"] = minutes
    if diet:
        arguments["diet"] = diet
    text = request(
        rng.choice(
            (
                "find [me |]a {diet}recipe with {ingredients}{minutes}",
                "what can I cook with {ingredients}{minutes}{diet_tail}",
                "{diet}recipes using {ingredients}{minutes}",
            )
        ),
        rng,
        ingredients=listing(wanted),
        minutes=f" in under {minutes} minutes" if minutes else "",
        diet=f"{diet} " if diet else "",
        diet_tail=f" that's {diet}" if diet else "",
    )
    found = [
        {"id": _recipe_id(rng), "title": f"{dish} with {wanted[0]}", "minutes": rng.choice((15, 20, 25))}
        for dish in rng.sample(DISHES, rng.choice((0, 1, 2)))
    ]
    result = to_json({"recipes": found})
    if not found:
        return one_call(
            text,
            "search_recipes",
            arguments,
            result,
            f"No recipes match {listing(wanted)} with those filters.",
            (),
            (),
        )
    items = [f"{r['title']} ({r['minutes']} min, {r['id']})" for r in found]
    return one_call(
        text, "search_recipes", arguments, result, f"Try {listing(items)}.", tuple(r["id"] for r in found)
    )


def get_recipe(rng: random.Random) -> CallCase:
    recipe, dish, ingredient = _recipe_id(rng), rng.choice(DISHES), rng.choice(INGREDIENTS)
    text = request(
        rng.choice(("show me recipe {recipe}", "how do I make recipe {recipe}", "open recipe {recipe}")),
        rng,
        recipe=recipe,
    )
    steps = rng.randrange(4, 9)
    result = to_json(
        {
            "id": recipe,
            "title": f"{dish} with {ingredient}",
            "ingredients": [f"400 g {ingredient}", "1 onion", "2 cloves garlic"],
            "steps": steps,
        }
    )
    answer = f"{dish} with {ingredient}: 400 g {ingredient}, 1 onion and 2 cloves garlic, in {steps} steps."
    return one_call(
        text, "get_recipe", {"recipe_id": recipe}, result, answer, (f"{dish} with {ingredient}", str(steps))
    )


def scale_recipe(rng: random.Random) -> CallCase:
    recipe, servings, ingredient = _recipe_id(rng), rng.choice((2, 6, 8, 10)), rng.choice(INGREDIENTS)
    text = request(
        rng.choice(
            (
                "scale recipe {recipe} to {servings} servings",
                "I need recipe {recipe} for {servings} people",
                "adjust {recipe} for {servings} servings",
            )
        ),
        rng,
        recipe=recipe,
        servings=servings,
    )
    grams = 100 * servings
    result = to_json(
        {
            "id": recipe,
            "servings": servings,
            "ingredients": [f"{grams} g {ingredient}", f"{servings // 2 or 1} onions"],
        }
    )
    answer = f"For {servings} servings you need {grams} g {ingredient} and {servings // 2 or 1} onions."
    return one_call(
        text, "scale_recipe", {"recipe_id": recipe, "servings": servings}, result, answer, (f"{grams} g",)
    )


RECIPES_SET = ToolSet(
    name="recipes",
    tools=RECIPES,
    capabilities={
        "search_recipes": "find recipes",
        "get_recipe": "show a recipe",
        "scale_recipe": "scale a recipe",
    },
    scenarios={
        "search_recipes": (search_recipes,),
        "get_recipe": (get_recipe,),
        "scale_recipe": (scale_recipe,),
    },
    questions=(
        Question(
            ("what's the difference between baking soda and baking powder",),
            "Baking soda is pure sodium bicarbonate and needs an acid to rise; baking powder already contains the "
            "acid, so it works on its own.",
        ),
        Question(
            ("what does al dente mean",),
            "Pasta cooked until tender but still slightly firm in the middle - 'to the tooth'.",
        ),
        Question(
            ("how long do I boil an egg for a hard yolk", "how long to hard-boil an egg"),
            "About 9-12 minutes in boiling water, then cool it in cold water.",
        ),
        Question(
            ("what can I use instead of eggs in baking",),
            "Per egg: 1 tablespoon ground flaxseed in 3 tablespoons water, 1/4 cup applesauce, or half a mashed banana.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("order the ingredients for recipe {recipe} [online|]",),
            "order groceries",
            {"recipe": ("r_204", "r_581")},
        ),
        Unsupported(
            ("save recipe {recipe} to my favorites",), "save favorites", {"recipe": ("r_204", "r_581")}
        ),
        Unsupported(("set a timer for 12 minutes",), "set timers"),
        Unsupported(("rate recipe {recipe} five stars",), "rate recipes", {"recipe": ("r_204", "r_581")}),
    ),
    aliases={
        "search_recipes": ("find_recipes", "recipe_search", "searchRecipes"),
        "get_recipe": ("recipe_details", "fetch_recipe", "getRecipe"),
        "scale_recipe": ("adjust_servings", "recipe_scale", "scaleRecipe"),
    },
)
