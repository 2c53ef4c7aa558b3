<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>words</name>
    <message>
        <source>System</source>
        <comment>language</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
