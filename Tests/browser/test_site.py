"""The published site as a reader sees it: headless Chromium on file:// pages.

Builds a knowledge base with the real kb binary, opens Site/index.html through file://,
follows links, uses search with the keyboard, and checks that no console error was
logged and that no request left the site folder. Screenshots go to artifacts/screenshots/.
"""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

REPO = pathlib.Path(__file__).resolve().parents[2]
KB = pathlib.Path(os.environ.get("KB_BINARY", REPO / ".build" / "debug" / "kb"))
SCREENSHOTS = REPO / "artifacts" / "screenshots"
KNOWLEDGE_BASES = {
    "fixture": REPO / "Tests" / "browser" / "fixture-kb",
    "project": REPO,
}


def build_site(root: pathlib.Path) -> pathlib.Path:
    output = pathlib.Path(tempfile.mkdtemp(prefix="kb-browser-")) / "Site"
    result = subprocess.run([str(KB), "build", "--root", str(root), "--output", str(output), "--fail-on", "never"],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"kb build failed:\n{result.stdout}\n{result.stderr}"
    return output


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--allow-file-access-from-files", "--window-size=1280,900"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module", params=sorted(KNOWLEDGE_BASES))
def site(request):
    output = build_site(KNOWLEDGE_BASES[request.param])
    yield request.param, output
    shutil.rmtree(output.parent, ignore_errors=True)


def problems_since_last_check(driver, site_root: pathlib.Path):
    """Console errors, and requests for anything that is not a file inside the site."""
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    outside = []
    prefix = site_root.resolve().as_uri()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        url = message["params"]["request"]["url"]
        if url.startswith("data:") or url.startswith(prefix):
            continue
        outside.append(url)
    return errors, outside


def assert_clean(driver, site_root):
    errors, outside = problems_since_last_check(driver, site_root)
    assert errors == [], f"console errors: {errors}"
    assert outside == [], f"requests that left the site: {outside}"


def screenshot(driver, name, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 600), 4000))
    driver.save_screenshot(str(SCREENSHOTS / f"{name}-{width}.png"))
    driver.set_window_size(1280, 900)


def open_home(driver, output):
    driver.get((output / "index.html").as_uri())
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "main h1")))


def test_home_lists_articles_and_follows_a_link(browser, site):
    name, output = site
    open_home(browser, output)
    links = browser.find_elements(By.CSS_SELECTOR, ".article-list > li > a")
    assert len(links) >= 2
    first_title = links[0].text
    screenshot(browser, f"{name}-home", 1280)
    screenshot(browser, f"{name}-home", 360)
    links[0].click()
    WebDriverWait(browser, 10).until(EC.title_contains(first_title))
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text == first_title
    assert browser.current_url.startswith(output.resolve().as_uri() + "/articles/")
    screenshot(browser, f"{name}-article", 1280)
    screenshot(browser, f"{name}-article", 360)
    assert_clean(browser, output)


def test_article_toc_anchors_and_pager(browser, site):
    _, output = site
    open_home(browser, output)
    browser.find_elements(By.CSS_SELECTOR, ".article-list > li > a")[0].click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article h1")))
    for heading in browser.find_elements(By.CSS_SELECTOR, ".article-body h2[id]"):
        anchor = heading.find_element(By.CSS_SELECTOR, "a.anchor")
        assert anchor.get_attribute("href").endswith("#" + heading.get_attribute("id"))
    pager = browser.find_elements(By.CSS_SELECTOR, "a[rel=next]")
    assert pager, "the first article links to the next one"
    pager[0].click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[rel=prev]")))
    assert_clean(browser, output)


def test_tag_page_lists_its_articles(browser, site):
    _, output = site
    open_home(browser, output)
    browser.find_element(By.LINK_TEXT, "Tags").click()
    WebDriverWait(browser, 10).until(EC.title_contains("Tags"))
    browser.find_elements(By.CSS_SELECTOR, ".tag-index a")[0].click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".article-list a")))
    browser.find_elements(By.CSS_SELECTOR, ".article-list a")[0].click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article h1")))
    assert_clean(browser, output)


def test_search_with_the_keyboard(browser, site):
    _, output = site
    open_home(browser, output)
    # The title of the second article, searched for with "/" then typed words.
    second = browser.find_elements(By.CSS_SELECTOR, ".article-list > li > a")[1].text
    query = " ".join(second.split()[:2])
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    field = browser.switch_to.active_element
    assert field.get_attribute("id") == "search-input"
    field.send_keys(query)
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#search-results li[role=option]")))
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#search-results .search-title")]
    assert second in titles
    # Arrow down to the result, then Enter.
    for _ in range(titles.index(second) + 1):
        field.send_keys(Keys.ARROW_DOWN)
    field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.title_contains(second))
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text == second
    assert_clean(browser, output)


def test_search_links_to_the_matching_heading(browser, site):
    name, output = site
    if name != "fixture":
        pytest.skip("the fixture knowledge base has a known heading to look for")
    open_home(browser, output)
    field = browser.find_element(By.ID, "search-input")
    field.click()
    field.send_keys("scratch lacks")
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#search-results li[role=option] a")))
    first = browser.find_element(By.CSS_SELECTOR, "#search-results li[role=option] a")
    assert first.get_attribute("href").endswith("articles/linking.html#what-scratch-lacks")
    field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.url_contains("#what-scratch-lacks"))
    assert_clean(browser, output)


def test_example_and_rule_pages(browser, site):
    name, output = site
    if name != "project":
        pytest.skip("the project's own knowledge base has examples and counterexamples")
    open_home(browser, output)
    browser.find_element(By.LINK_TEXT, "Examples").click()
    WebDriverWait(browser, 10).until(EC.title_contains("Examples"))
    browser.find_elements(By.CSS_SELECTOR, ".examples-table th a")[0].click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "pre.dockerfile")))
    assert browser.find_elements(By.CSS_SELECTOR, "pre.dockerfile .tok-keyword"), "the Dockerfile is highlighted"
    screenshot(browser, f"{name}-example", 1280)
    browser.find_element(By.LINK_TEXT, "Rules").click()
    WebDriverWait(browser, 10).until(EC.title_contains("Rules"))
    browser.find_element(By.LINK_TEXT, "KB101").click()
    WebDriverWait(browser, 10).until(EC.title_contains("KB101"))
    assert browser.find_elements(By.CSS_SELECTOR, ".line.finding-error"), "the triggering example marks its line"
    screenshot(browser, f"{name}-rule", 1280)
    assert_clean(browser, output)


def test_search_finds_a_rule_by_id(browser, site):
    _, output = site
    open_home(browser, output)
    field = browser.find_element(By.ID, "search-input")
    field.click()
    field.send_keys("KB107")
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#search-results li[role=option] a")))
    first = browser.find_element(By.CSS_SELECTOR, "#search-results li[role=option] a")
    assert first.get_attribute("href").endswith("rules/KB107.html")
    field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.title_contains("KB107"))
    assert_clean(browser, output)


def test_counterexample_callout_links_to_its_rule(browser, site):
    name, output = site
    if name != "project":
        pytest.skip("the project's own knowledge base has counterexamples")
    browser.get((output / "articles" / "static-and-dynamic-linking.html").as_uri())
    callout = browser.find_element(By.CSS_SELECTOR, ".callout-fails a")
    assert callout.text.startswith("KB")
    callout.click()
    WebDriverWait(browser, 10).until(EC.url_contains("/rules/KB"))
    assert_clean(browser, output)


def test_not_found_page(browser, site):
    _, output = site
    browser.get((output / "404.html").as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Page not found"
    assert_clean(browser, output)
